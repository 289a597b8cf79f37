#!/usr/bin/env node
// npm run bench, its second part: readers' reports posted to the app (POST /fr/feedback, the form
// the pages carry) into each store, SQLite in a file and PostgreSQL when it answers; then a cached
// guide page alone and while reports arrive at a steady rate. The server on core 0, wrk on core 1.
// Prints reports/s, p50, p99, and the page's req/s beside each other. Not a test.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { onCore, serverArgs, sleep } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = process.env.BENCH_SECONDS ?? '8';
const PORT = 3411;
const POSTGRES = process.env.BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const dir = mkdtempSync(join(tmpdir(), 'dalil-bench-feedback-'));
const BODY = 'type=report&guide=cnops&step=3&kind=screen-different&comment=Le+bouton+a+chang%C3%A9';

const fetchText = (path) =>
  new Promise((resolve) => {
    get({ host: '127.0.0.1', port: PORT, path }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', () => resolve(''));
  });

async function start(databaseUrl) {
  const [cmd, args] = onCore(0, process.execPath, serverArgs(root));
  const app = spawn(cmd, args, {
    env: {
      PATH: process.env.PATH,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      REPORTS_PER_MINUTE: '100000',
      SHUTDOWN_DRAIN_MS: '0',
    },
    stdio: 'ignore',
  });
  // Ready: nothing else on its core (pages come from the release, already compressed).
  for (let i = 0; (await fetchText('/readyz')) !== 'ready\n'; i++) {
    if (i > 600) throw new Error('the app did not become ready');
    await sleep(50);
  }
  return app;
}

const stop = async (app) => {
  app.kill('SIGTERM');
  await new Promise((r) => app.on('exit', r));
};

async function wrk(path, { script, connections = 16, seconds = SECONDS } = {}) {
  const [c, a] = onCore(1, 'wrk', [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--latency',
    ...(script ? ['-s', script] : []),
    '-H',
    'accept-encoding: br',
    `http://127.0.0.1:${PORT}${path}`,
  ]);
  // Asynchronous: reports can be sent from here meanwhile.
  const { stdout: out } = await promisify(execFile)(c, a, { encoding: 'utf8' });
  const ms = (label) => {
    const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : NaN;
  };
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: ms('50'),
    p99: ms('99'),
    errors: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

const post = join(dir, 'post.lua');
writeFileSync(
  post,
  `wrk.method = "POST"\nwrk.body = "${BODY}"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\nwrk.headers["Accept"] = "application/json"\n`,
);

/** Reports posted at a steady rate by a process of its own on wrk's core, while something else is measured. */
function trickle(perSecond) {
  const script = `const http=require('http');const agent=new http.Agent({keepAlive:true,maxSockets:2});let sent=0;
setInterval(()=>{const r=http.request({host:'127.0.0.1',port:${PORT},path:process.env.TRICKLE_PATH||'/fr/feedback',method:'POST',agent,headers:{'content-type':'application/x-www-form-urlencoded',accept:'application/json'}},(res)=>res.resume());r.on('error',()=>{});r.end(${JSON.stringify(BODY)});sent++;},${1000 / perSecond});
process.on('SIGTERM',()=>{process.stdout.write(String(sent));process.exit(0);});`;
  const [c, a] = onCore(1, process.execPath, ['-e', script]);
  const child = spawn(c, a, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return () =>
    new Promise((resolve) => {
      child.on('exit', () => resolve(Number(out)));
      child.kill('SIGTERM');
    });
}

async function postgresUrl() {
  const client = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const schema = `dalil_bench_${process.pid}`;
    await client.query(`create schema ${schema}`);
    return {
      url: `${POSTGRES}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      drop: () => client.query(`drop schema ${schema} cascade`).finally(() => client.end()),
    };
  } catch {
    await client.end().catch(() => undefined);
    return undefined;
  }
}

const rows = [];
const stores = [['SQLite (file, WAL)', { url: `file:${join(dir, 'bench.sqlite')}`, drop: async () => undefined }]];
const pgStore = await postgresUrl();
if (pgStore) stores.push(['PostgreSQL (pool of 10)', pgStore]);
let pages;
for (const [name, store] of stores) {
  const app = await start(store.url);
  rows.push({ name: `reports into ${name}`, ...(await wrk('/fr/feedback', { script: post })) });
  if (!pages) {
    // Alone, then while reports arrive at 20 and 100 a second, then alone again (the noise).
    pages = [];
    const page = () => wrk('/ar/guides/franceconnect', { connections: 50 });
    pages.push({ rate: 0, ...(await page()) });
    for (const rate of [20, 100]) {
      const done = trickle(rate);
      const run = await page();
      pages.push({ rate: (await done()) / Number(SECONDS), ...run });
    }
    pages.push({ rate: 0, ...(await page()) });
  }
  await stop(app);
  await store.drop();
}
rmSync(dir, { recursive: true, force: true });

const f = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
console.log(`\nDalil bench, feedback: server on core 0, wrk on core 1, wrk -t1 -d${SECONDS}s; POST /fr/feedback (the reader's form, answered 204 to a script)`);
console.log('scenario                                  req/s   p50 ms   p99 ms   errors');
for (const r of rows)
  console.log(`${r.name.padEnd(38)} ${f(r.rps).padStart(8)} ${f(r.p50, 2).padStart(8)} ${f(r.p99, 2).padStart(8)} ${String(r.errors).padStart(8)}`);
if (!pgStore) console.log('(PostgreSQL did not answer at BENCH_POSTGRES: its row is left out)');
const alone = (pages[0].rps + pages.at(-1).rps) / 2;
console.log('\ncached guide page (br, 50 connections), while reports arrive:');
for (const p of pages)
  console.log(
    `  ${p.rate ? `${f(p.rate)} reports/s`.padEnd(14) : 'none'.padEnd(14)} ${f(p.rps).padStart(7)} req/s  p99 ${f(p.p99, 2)} ms  (${f((p.rps / alone) * 100)} % of the page alone)`,
  );
