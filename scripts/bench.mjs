#!/usr/bin/env node
// npm run bench: the app against two references sending the very same bytes with the very same
// headers, all loaded by wrk over loopback:
//  - bare node:http: the app's answers captured (status, headers, body) and replayed by a
//    ten-line node:http server, with the V8 flags the app runs with. The runtime's own limit:
//    the goal is app/node >= 0.95.
//  - nginx (Debian's package, when installed), tuned as a real deployment (sendfile,
//    open_file_cache, keep-alive): printed for comparison; its ratio depends on the CPU.
// Each server in turn on core 0, wrk on core 1. Prints req/s, p50, p99, the ratios and the
// header bytes of each answer, and the app's start-up time. Not a test.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  asInProduction,
  productionMix,
  benchEnv,
  capture,
  cpuMs,
  fetchRaw,
  has,
  median,
  onCore,
  pin,
  replayServer,
  scenarios as makeScenarios,
  serverArgs,
  serverFlags,
  settle,
  sleep,
  until,
} from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = process.env.BENCH_SECONDS ?? '3';
const CONNECTIONS = '50';
const APP_PORT = 3401;
const NODE_PORT = 3402;
const NGINX_PORT = 3403;
if (!has('wrk')) {
  console.error('npm run bench needs wrk (Debian package "wrk": apt-get install -y wrk).');
  process.exit(1);
}
if (!existsSync(join(root, 'dist/server.js'))) {
  console.error('Build first: npm run build');
  process.exit(1);
}
// 1. The app, in production, answering from a release built for it.
const dir = mkdtempSync(join(tmpdir(), 'dalil-bench-'));
const appEnv = benchEnv(dir, APP_PORT);
const buildStart = Date.now();
execFileSync(process.execPath, [join(root, 'dist/build.js')], { env: appEnv, stdio: 'ignore' });
const buildMs = Date.now() - buildStart;
const [cmd, args] = onCore(0, process.execPath, serverArgs(root));
const app = spawn(cmd, args, { env: appEnv, stdio: ['ignore', 'pipe', 'inherit'] });
const startupMs = await until(APP_PORT, '/readyz');
// Wait for the background work after start (pages read later, brotli), if any.
const settleMs = await until(APP_PORT, '/readyz', (r) => r.body.toString() === 'ready\n');

// Before anything is measured, the app serves what a running copy serves besides cached pages.
const mix = productionMix();
await asInProduction(APP_PORT, mix);
await settle(app.pid);
const scenarios = makeScenarios();
await capture(APP_PORT, scenarios);
await capture(APP_PORT, mix);

// 2. The runtime's limit: a bare node:http server writing the captured answers, after the same mix.
const bare = replayServer(scenarios, mix, join(dir, 'answers.json'), NODE_PORT);
const [nc, na] = onCore(0, process.execPath, [...serverFlags(root), '-e', bare]);
const node = spawn(nc, na, { stdio: 'inherit' });
await until(NODE_PORT, scenarios[0].path);
await asInProduction(NODE_PORT, mix);

// 3. nginx, tuned as a deployment would be, with the same headers.
let nginx;
if (has('nginx')) {
  const lines = [];
  for (const [i, s] of scenarios.entries()) {
    mkdirSync(join(dir, 'www'), { recursive: true });
    writeFileSync(join(dir, 'www', `s${i}`), s.body);
    const add = [];
    for (let k = 0; k < s.raw.length; k += 2) {
      const name = s.raw[k].toLowerCase();
      if (['content-length', 'content-type', 'etag', 'last-modified'].includes(name)) continue;
      add.push(`add_header ${s.raw[k]} ${JSON.stringify(s.raw[k + 1])} always;`);
    }
    const type = s.raw[s.raw.findIndex((v, k) => k % 2 === 0 && v.toLowerCase() === 'content-type') + 1];
    // Asked for the app's own request target (nginx matches its path; the file is the captured body,
    // found by try_files: an alias to a file would be taken for a directory on a path ending in /).
    lines.push(`location = ${s.path.split('?')[0]} { try_files /s${i} =404; default_type ${JSON.stringify(type ?? 'text/html')}; ${add.join(' ')} }`);
  }
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log; events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000; server_tokens off;
  open_file_cache max=1000 inactive=60s; open_file_cache_valid 60s;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${NGINX_PORT}; root ${dir}/www; etag on; ${lines.join('\n')} } }`,
  );
  const [c, a] = onCore(0, 'nginx', ['-c', conf, '-g', 'daemon off;']);
  nginx = spawn(c, a, { stdio: 'inherit' });
  await until(NGINX_PORT, scenarios[0].path);
  // nginx's own validator for the 304 scenario.
  for (const s of scenarios) if (s.revalidate) s.nginxEtag = (await fetchRaw(NGINX_PORT, s.path)).headers.etag;
}

// 4. The static edition (npm run export) served by nginx with its own nginx.conf: what a CDN, a
// static host or a shelter's small computer would answer. Tool answers of the provider checker are
// not in it (too many); its 304 uses its own validator.
let edition;
const EDITION_PORT = 3404;
if (nginx) {
  const out = join(dir, 'edition');
  execFileSync(process.execPath, [join(root, 'dist/export.js'), '--out', out, '--base-url', appEnv.BASE_URL], { env: appEnv, stdio: 'ignore' });
  const block = readFileSync(join(out, 'nginx.conf'), 'utf8').replace(/listen 8080;/, `listen 127.0.0.1:${EDITION_PORT};`);
  const conf = join(dir, 'edition.conf');
  writeFileSync(
    conf,
    `worker_processes 1; pid ${dir}/edition.pid; error_log ${dir}/edition-error.log; events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 100000;
  open_file_cache max=1000 inactive=60s; open_file_cache_valid 60s;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  ${block} }`,
  );
  const [c, a] = onCore(0, 'nginx', ['-c', conf, '-g', 'daemon off;']);
  edition = spawn(c, a, { stdio: 'inherit' });
  await until(EDITION_PORT, '/fr/');
  for (const s of scenarios) {
    const r = await fetchRaw(EDITION_PORT, s.path, { 'accept-encoding': 'gzip, deflate, br' });
    s.inEdition = r.status === 200;
    if (s.revalidate && s.inEdition) s.editionEtag = r.headers.etag;
  }
}

// 5. Load: the servers in turn, round after round (this machine's speed drifts from one second to
// the next: interleaved rounds and medians make the ratios comparable), with each server's CPU time.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
function wrk(port, path, headers, seconds = DURATION, pid) {
  const hs = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const [c, a] = onCore(1, 'wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...hs, `http://127.0.0.1:${port}${path}`]);
  const before = pid ? cpuMs(pid) : 0;
  const out = execFileSync(c, a, { encoding: 'utf8' });
  const cpu = pid ? cpuMs(pid) - before : NaN;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const total = Number(/(\d+) requests in/.exec(out)[1]);
  const ms = (label) => {
    const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : NaN;
  };
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0');
  return { rps, p50: ms('50'), p99: ms('99'), errors, usPerRequest: (cpu * 1000) / total };
}
const servers = [
  { name: 'app', port: APP_PORT, pid: app.pid, path: (s) => s.path, headers: (s) => s.headers },
  { name: 'node', port: NODE_PORT, pid: node.pid, path: (s) => s.path, headers: (s) => s.headers },
  ...(nginx
    ? [
        {
          name: 'nginx',
          port: NGINX_PORT,
          pid: nginx.pid,
          path: (s) => s.path,
          headers: (s) => ({ ...s.headers, ...(s.nginxEtag ? { 'if-none-match': s.nginxEtag } : {}) }),
        },
      ]
    : []),
  ...(edition
    ? [
        {
          name: 'edition',
          port: EDITION_PORT,
          pid: edition.pid,
          skip: (s) => !s.inEdition,
          path: (s) => s.path,
          headers: (s) => ({ ...s.headers, ...(s.editionEtag ? { 'if-none-match': s.editionEtag } : {}) }),
        },
      ]
    : []),
];
// A short unmeasured run first, so that every server is warm (JIT, connections).
for (const sv of servers) wrk(sv.port, sv.path(scenarios[0]), scenarios[0].headers, 2);
const rows = [];
for (const s of scenarios) {
  const runs = Object.fromEntries(servers.map((sv) => [sv.name, []]));
  // Each round in another order, so that no server always follows the same one.
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k] of servers.entries()) {
      const sv = servers[(k + r) % servers.length];
      if (sv.skip?.(s)) continue;
      runs[sv.name].push(wrk(sv.port, sv.path(s), sv.headers(s), DURATION, sv.pid));
    }
  }
  const summary = (name) =>
    runs[name]?.length
      ? {
          rps: median(runs[name].map((x) => x.rps)),
          p50: median(runs[name].map((x) => x.p50)),
          p99: median(runs[name].map((x) => x.p99)),
          us: median(runs[name].map((x) => x.usPerRequest)),
          errors: runs[name].reduce((n, x) => n + x.errors, 0),
        }
      : undefined;
  // The ratio of each round (the app and node:http measured back to back), then their median: drift cancels out.
  const perRound = (key) => runs.app.map((a, r) => (key === 'rps' ? a.rps / runs.node[r].rps : runs.node[r].usPerRequest / a.usPerRequest));
  const paired = (key) => median(perRound(key));
  rows.push({
    s,
    appRun: summary('app'),
    nodeRun: summary('node'),
    nginxRun: summary('nginx'),
    editionRun: summary('edition'),
    ratio: paired('rps'),
    spread: [Math.min(...perRound('rps')), Math.max(...perRound('rps'))],
    cpuRatio: paired('us'),
  });
}
for (const p of [app, node, nginx, edition]) p?.kill('SIGTERM');
await sleep(300);
rmSync(dir, { recursive: true, force: true });

const f = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
console.log(
  `\nDalil bench: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${pin ? 'each server on core 0, wrk on core 1' : 'not pinned'}, wrk -c${CONNECTIONS} -d${DURATION}s`,
);
console.log(
  `release build (npm run build's second step): ${buildMs} ms; start-up (spawn → /readyz 200): ${startupMs} ms; background work after it: ${settleMs} ms\n`,
);
console.log(
  `medians of ${ROUNDS} interleaved rounds of ${DURATION} s, after the app served a production-like mix through Express; app/node: the median of each round's ratio (measured back to back), and their lowest and highest; µs/req: the server's CPU time per answer (user + system)`,
);
console.log(
  'scenario             body B  head B   app req/s  p50 ms  p99 ms  µs/req   node req/s  µs/req  app/node (CPU)  of rounds   nginx req/s  app/nginx  edition req/s  app/edition  errors (all servers)',
);
for (const { s, appRun, nodeRun, nginxRun, editionRun, ratio, spread, cpuRatio } of rows) {
  // Any answer but 2xx or 3xx, from any server: a reference answering errors measures nothing.
  const errors = [appRun, nodeRun, nginxRun, editionRun].reduce((n, r) => n + (r?.errors ?? 0), 0);
  console.log(
    [
      s.name.padEnd(19),
      String(s.body.length).padStart(7),
      String(s.headerBytes).padStart(7),
      f(appRun.rps).padStart(11),
      f(appRun.p50, 2).padStart(7),
      f(appRun.p99, 2).padStart(7),
      f(appRun.us, 1).padStart(7),
      f(nodeRun.rps).padStart(12),
      f(nodeRun.us, 1).padStart(7),
      `${f(ratio, 2)} (${f(cpuRatio, 2)})`.padStart(15),
      `${f(spread[0], 2)}–${f(spread[1], 2)}`.padStart(10),
      (nginxRun ? f(nginxRun.rps) : '-').padStart(13),
      (nginxRun ? f(appRun.rps / nginxRun.rps, 2) : '-').padStart(10),
      (editionRun ? f(editionRun.rps) : '-').padStart(14),
      (editionRun ? f(appRun.rps / editionRun.rps, 2) : '-').padStart(12),
      String(errors).padStart(7),
    ].join(' '),
  );
}
