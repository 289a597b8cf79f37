#!/usr/bin/env node
// npm run bench: the app against a reference server sending the same bytes (nginx when
// installed, else a bare node:http server), both loaded by wrk over loopback. Prints req/s, p50,
// p99 and the app/reference ratio per scenario, and the app's start-up time. Not a test.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = process.env.BENCH_SECONDS ?? '8';
const CONNECTIONS = '50';
const APP_PORT = 3401;
const REF_PORT = 3402;
const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
if (!has('wrk')) {
  console.error('npm run bench needs wrk (Debian package "wrk": apt-get install -y wrk).');
  process.exit(1);
}
// Two cores or more: the server on core 0, wrk on core 1, so that they do not share a core.
const pin = has('taskset') && cpus().length >= 2;
const onCore = (core, cmd, args) => (pin ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

const fetchRaw = (port, path, headers = {}) =>
  new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// 1. The app, in production.
const [cmd, args] = onCore(0, process.execPath, [join(root, 'dist/server.js')]);
const app = spawn(cmd, args, {
  env: { PATH: process.env.PATH, PORT: String(APP_PORT), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const started = Date.now();
for (;;) {
  try {
    if ((await fetchRaw(APP_PORT, '/readyz')).status === 200) break;
  } catch {
    // not listening yet
  }
  if (Date.now() - started > 20000) throw new Error('the app did not become ready');
  await sleep(20);
}
const startupMs = Date.now() - started;

const tool = '/en/tools/identity-provider?answered=1&has=msa-membership&has=smartphone';
// Wait for brotli 11 of the known pages (built in the background after start).
const compressStart = Date.now();
while ((await fetchRaw(APP_PORT, '/readyz')).body.toString() !== 'ready\n') await sleep(50);
const brotliMs = Date.now() - compressStart;
await fetchRaw(APP_PORT, tool, { 'accept-encoding': 'gzip' });
await sleep(300);

const scenarios = [
  { name: 'guide page (br)', path: '/ar/guides/franceconnect', headers: { 'accept-encoding': 'br' } },
  { name: 'home page (br)', path: '/fr/', headers: { 'accept-encoding': 'br' } },
  { name: 'tool result (br)', path: tool, headers: { 'accept-encoding': 'br' } },
  { name: '304 revalidation', path: '/ar/guides/franceconnect', headers: { 'accept-encoding': 'br' }, revalidate: true },
];
for (const s of scenarios) {
  const res = await fetchRaw(APP_PORT, s.path, s.headers);
  s.body = res.body;
  s.etag = res.headers.etag;
  s.encoding = res.headers['content-encoding'];
}

// 2. The reference: the same bytes from nginx, or from a bare node:http handler.
const dir = mkdtempSync(join(tmpdir(), 'dalil-bench-'));
scenarios.forEach((s, i) => writeFileSync(join(dir, `s${i}`), s.body));
let reference;
let refName;
let refEtag = {};
if (has('nginx')) {
  refName = 'nginx';
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log; events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${REF_PORT}; root ${dir}; default_type text/html; add_header Content-Encoding br; etag on; } }`,
  );
  const [c, a] = onCore(0, 'nginx', ['-c', conf, '-g', 'daemon off;']);
  reference = spawn(c, a, { stdio: 'inherit' });
} else {
  refName = 'node:http';
  const bodies = scenarios.map((s) => s.body);
  const script = `const http=require('http');const fs=require('fs');const b=${JSON.stringify(scenarios.map((_, i) => join(dir, `s${i}`)))}.map(f=>fs.readFileSync(f));
http.createServer((q,r)=>{const i=Number(q.url.slice(2));const e='"r'+i+'"';if(q.headers['if-none-match']===e){r.writeHead(304,{ETag:e});return r.end();}
r.writeHead(200,{'Content-Type':'text/html; charset=utf-8','Content-Encoding':'br','Content-Length':b[i].length,ETag:e});r.end(b[i]);}).listen(${REF_PORT},'127.0.0.1');`;
  void bodies;
  const [c, a] = onCore(0, process.execPath, ['-e', script]);
  reference = spawn(c, a, { stdio: 'inherit' });
}
for (let i = 0; i < 100; i++) {
  try {
    await fetchRaw(REF_PORT, '/s0');
    break;
  } catch {
    await sleep(50);
  }
}
for (const i of scenarios.keys()) refEtag[i] = (await fetchRaw(REF_PORT, `/s${i}`)).headers.etag;

// 3. Load, one after the other.
function wrk(port, path, headers, seconds = DURATION) {
  const hs = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const [c, a] = onCore(1, 'wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...hs, `http://127.0.0.1:${port}${path}`]);
  const out = execFileSync(c, a, { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const ms = (label) => {
    const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : NaN;
  };
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
  return { rps, p50: ms('50'), p99: ms('99'), errors };
}
const rows = [];
// A short unmeasured run first, so that both servers are warm (JIT, connections).
wrk(APP_PORT, scenarios[0].path, scenarios[0].headers, 2);
wrk(REF_PORT, '/s0', scenarios[0].headers, 2);
for (const [i, s] of scenarios.entries()) {
  const appRun = wrk(APP_PORT, s.path, { ...s.headers, ...(s.revalidate ? { 'if-none-match': s.etag } : {}) });
  const refRun = wrk(REF_PORT, `/s${i}`, { ...s.headers, ...(s.revalidate ? { 'if-none-match': refEtag[i] } : {}) });
  rows.push({ s, appRun, refRun });
}
app.kill('SIGTERM');
reference.kill('SIGTERM');
await sleep(300);
rmSync(dir, { recursive: true, force: true });

const f = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
console.log(
  `\nDalil bench: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${pin ? 'server on core 0, wrk on core 1' : 'not pinned'}, wrk -c${CONNECTIONS} -d${DURATION}s, reference ${refName}`,
);
console.log(`start-up (spawn → /readyz 200, known pages rendered): ${startupMs} ms; brotli 11 of them in the background: ${brotliMs} ms more\n`);
console.log('scenario              bytes   app req/s   p50 ms   p99 ms   ref req/s   p50 ms   p99 ms   app/ref  errors');
for (const { s, appRun, refRun } of rows) {
  console.log(
    `${s.name.padEnd(20)} ${String(s.revalidate ? 0 : s.body.length).padStart(6)} ${f(appRun.rps).padStart(11)} ${f(appRun.p50, 2).padStart(8)} ${f(appRun.p99, 2).padStart(8)} ${f(refRun.rps).padStart(11)} ${f(refRun.p50, 2).padStart(8)} ${f(refRun.p99, 2).padStart(8)} ${f(appRun.rps / refRun.rps, 2).padStart(9)} ${appRun.errors.padStart(7)}`,
  );
}
if (!existsSync(join(root, 'dist/server.js'))) console.log('(build first: npm run build)');
