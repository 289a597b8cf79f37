#!/usr/bin/env node
// Part of npm run bench: the CPU instructions one answer costs, the app against the bare node:http
// server replaying its answers, counted by valgrind (callgrind) in each server's process. Unlike
// requests per second, an instruction count does not drift with what else the machine is doing
// (the same code gives the same count within a few per cent), so it shows what the app's fast path
// adds to the runtime's own work. It does not count the kernel's part (the socket's read and
// write, the same in both: one of each per answer) nor time lost to cache misses. Not a test.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  asInProduction,
  benchEnv,
  productionMix,
  capture,
  has,
  median,
  replayServer,
  scenarios as makeScenarios,
  serverArgs,
  serverFlags,
  send,
  settle,
  sleep,
  until,
} from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APP_PORT = 3411;
const NODE_PORT = 3412;
// Counted in the steady state a running copy is in: V8 has optimised the code of each kind of
// answer (after 2,000 answers some of it was still being compiled, in the counts).
const WARM = 10_000;
const COUNT = Number(process.env.BENCH_ANSWERS ?? 3000);
// Each count follows as many answers not counted: the other server's count was a pause for this
// one, after which V8 may drop and compile again some of its code (a full collection at idle; up
// to ~6,000 answers), which a server under steady load does not do. What the first answers after
// a pause cost is measured apart (README, Figures).
const REWARM = COUNT;
const RUNS = 5;
if (!has('valgrind') || !has('callgrind_control')) {
  console.log('\nInstructions per answer: skipped (needs valgrind: apt-get install -y valgrind).');
  process.exit(0);
}

/**
 * A server under callgrind: `warm(s)` sends WARM answers of a scenario, `count(s)` sends REWARM
 * more and counts the instructions of the COUNT after them, per answer: in all the process's
 * threads, and in its main thread (`main`: JavaScript and Node's I/O; the others compile, collect
 * garbage and compress).
 */
function underCallgrind(name, port, dir, args, env) {
  const out = join(dir, name);
  const flags = ['--tool=callgrind', '--smc-check=all-non-file', '--separate-threads=yes', `--callgrind-out-file=${out}.%p`];
  const child = spawn('valgrind', [...flags, process.execPath, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // However this script ends, its servers end with it.
  process.on('exit', () => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  child.on('exit', (code, signal) => {
    if (signal !== 'SIGKILL') console.error(`instructions: ${name} exited (${code ?? signal}):\n${stderr}`);
  });
  // callgrind_control finds the process by a name made of the environment's USER and HOST: the same environment.
  const control = (command) => execFileSync('callgrind_control', [command, String(child.pid)], { env, stdio: 'ignore', timeout: 60_000 });
  // One file per thread and dump: <name>.<pid>.<dump>-<thread>, the main thread's -01.
  const files = (n) => readdirSync(dir).filter((f) => f.startsWith(`${name}.${child.pid}.${n}-`));
  const dumps = () => readdirSync(dir).filter((f) => f.startsWith(`${name}.${child.pid}.`) && f.endsWith('-01')).length;
  const total = (f) => Number(/^totals: (\d+)/m.exec(readFileSync(join(dir, f), 'utf8'))[1]) / COUNT;
  return {
    child,
    warm: (s) => send(port, s.path, s.headers, WARM),
    async count(s) {
      await send(port, s.path, s.headers, REWARM);
      control('--zero');
      await send(port, s.path, s.headers, COUNT);
      const before = dumps();
      control('--dump');
      while (dumps() === before) await sleep(50);
      await sleep(200);
      const threads = files(before + 1);
      return { all: threads.reduce((n, f) => n + total(f), 0), main: total(threads.find((f) => f.endsWith('-01'))) };
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'dalil-instructions-'));
// Valgrind makes the app some fifty times slower: its timeouts are made as much longer.
const env = {
  ...benchEnv(dir, APP_PORT),
  KEEP_ALIVE_TIMEOUT_MS: '300000',
  SOCKET_TIMEOUT_MS: '300000',
  HEADERS_TIMEOUT_MS: '300000',
  BODY_TIMEOUT_MS: '300000',
};
execFileSync(process.execPath, [join(root, 'dist/build.js')], { env, stdio: 'ignore' });

// The app, under valgrind (its start takes a minute), after a production-like mix through Express.
const app = underCallgrind('app', APP_PORT, dir, serverArgs(root), env);
console.error('instructions: starting the app under valgrind (about a minute)…');
await until(APP_PORT, '/readyz', undefined, 300_000);
console.error('instructions: the production-like mix…');
const mix = productionMix();
await asInProduction(APP_PORT, mix);
await settle(app.child.pid, 300, 600);
const scenarios = makeScenarios();
await capture(APP_PORT, scenarios);
await capture(APP_PORT, mix);

// The bare replay, after the same mix (answered with the app's own answers to it).
const node = underCallgrind('node', NODE_PORT, dir, [...serverFlags(root), '-e', replayServer(scenarios, mix, join(dir, 'answers.json'), NODE_PORT)], {
  PATH: process.env.PATH,
});
await until(NODE_PORT, scenarios[0].path, undefined, 120_000);
await asInProduction(NODE_PORT, mix);

// Each scenario's counts in pairs, the app's then the replay's, back to back: what else the machine
// is doing meanwhile (it changes how answers are batched, and when V8 collects and compiles) is
// then much the same for both counts of a pair.
for (const s of scenarios) {
  console.error(`instructions: ${s.name}…`);
  await app.warm(s);
  await node.warm(s);
  const pairs = [];
  for (let r = 0; r < RUNS; r++) {
    pairs.push({ app: await app.count(s), node: await node.count(s) });
    const { app: a, node: n } = pairs[r];
    console.error(`  app ${Math.round(a.all)} (main thread ${Math.round(a.main)}), node ${Math.round(n.all)} (${Math.round(n.main)})`);
  }
  for (const part of ['all', 'main']) {
    s[part] = {
      app: median(pairs.map((p) => p.app[part])),
      node: median(pairs.map((p) => p.node[part])),
      ratios: pairs.map((p) => p.node[part] / p.app[part]).sort((a, b) => a - b),
    };
  }
}
app.child.kill('SIGKILL');
node.child.kill('SIGKILL');
await sleep(300);
rmSync(dir, { recursive: true, force: true });

console.log(
  `\nInstructions per answer (valgrind callgrind, user space; ${RUNS} pairs of counts of ${COUNT} answers over 10 connections, the app's then the replay's, after ${WARM} of each to warm up and each count after ${REWARM} not counted; medians, and node/app: the median of each pair's ratio and its range; all threads, then the main thread alone: the others compile, collect garbage and compress)`,
);
console.log('scenario              app Ir/answer  node Ir/answer  node/app  (lowest–highest)   main thread: app       node  node/app  (lowest–highest)');
const column = ({ app: a, node: n, ratios }) => [
  Math.round(a).toLocaleString('en').padStart(15),
  Math.round(n).toLocaleString('en').padStart(15),
  median(ratios).toFixed(2).padStart(9),
  ` (${ratios[0].toFixed(2)}–${ratios.at(-1).toFixed(2)})`,
];
for (const s of scenarios) console.log([s.name.padEnd(19), ...column(s.all), '     ', ...column(s.main)].join(' '));
