#!/usr/bin/env node
// npm run soak: 60 s of load at 50 connections over loopback on a mix of pages, tool results and
// bad requests. Prints requests served, errors (an unexpected status or a failed connection),
// p50/p99, and the server's memory (RSS) at start, middle and end. A bounded check, not a test.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverArgs } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = 50;
const PORT = 3404;

// What to ask, and the status each must get.
const mix = [
  ['/ar/guides/franceconnect', 200],
  ['/prs/guides/aidants-connect', 200],
  ['/fr/guides/cnops/print', 200],
  ['/en/guides/cnss-amo-tadamon/present/2', 200],
  ['/fr/', 200],
  ['/ar/guides/franceconnect?with=fr', 200],
  ['/en/tools/identity-provider?answered=1&has=msa-membership', 200],
  ['/fr/tools/orientation?knows-site=yes&has-account=no', 200],
  ['/prs/tools/no-social-security-number?profile=asylum-seeker', 200],
  ['/fr/guides/nope', 404],
  ['/xx/', 404],
  ['/ar/guides/franceconnect?with=zz', 400],
  ['/en/tools/orientation?has-login=yes', 400],
  ['/fr/guides/%ZZ', 400],
];
// Tool results nobody asked before: the LRU of pages met after start is filled and kept bounded.
const VALUES = [
  'tax-number',
  'reference-tax-income',
  'online-access-number',
  'social-security-number',
  'health-insurance-card',
  'bank-details',
  'french-id-document',
  'postal-identity-check',
  'smartphone',
  'orange-subscription',
  'id-card',
  'msa-membership',
];

const server = spawn(process.execPath, serverArgs(root), {
  env: { PATH: process.env.PATH, PORT: String(PORT), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn' },
  stdio: 'inherit',
});
const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024);
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
const ask = (path) =>
  new Promise((resolve) => {
    const started = process.hrtime.bigint();
    get({ host: '127.0.0.1', port: PORT, path, agent, headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    }).on('error', () => resolve({ status: 0, ms: 0 }));
  });
for (let i = 0; ; i++) {
  if ((await ask('/readyz')).status === 200) break;
  if (i > 400) throw new Error('the server did not become ready');
  await new Promise((r) => setTimeout(r, 50));
}

const memory = { start: rss() };
const latencies = [];
let served = 0;
let errors = 0;
const statuses = {};
const end = Date.now() + SECONDS * 1000;
setTimeout(() => (memory.middle = rss()), (SECONDS * 1000) / 2);
let n = 0;
const worker = async () => {
  while (Date.now() < end) {
    let path;
    let expected;
    if (n++ % 10 === 9) {
      const has = VALUES.filter((_, i) => (n >> i) & 1).map((v) => `has=${v}`);
      [path, expected] = [`/fr/tools/identity-provider?answered=1&${has.join('&')}`, 200];
    } else [path, expected] = mix[n % mix.length];
    const res = await ask(path);
    served++;
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status !== expected) errors++;
    latencies.push(res.ms);
  }
};
await Promise.all(Array.from({ length: CONNECTIONS }, worker));
memory.end = rss();
const health = (await ask('/healthz')).status;
server.kill('SIGTERM');
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))].toFixed(2);
console.log(`\nDalil soak: ${SECONDS} s, ${CONNECTIONS} connections, loopback, production, LOG_LEVEL=warn`);
console.log(`requests served: ${served} (${Math.round(served / SECONDS)}/s); statuses: ${JSON.stringify(statuses)}`);
console.log(`errors (unexpected status or failed connection): ${errors}`);
console.log(`latency p50 ${pct(50)} ms, p99 ${pct(99)} ms (client in the same machine)`);
console.log(`server RSS: start ${memory.start} MB, middle ${memory.middle} MB, end ${memory.end} MB; /healthz after: ${health}`);
process.exit(errors === 0 && health === 200 ? 0 : 1);
