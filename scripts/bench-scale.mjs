#!/usr/bin/env node
// npm run bench:scale [-- GUIDES]: what start-up, memory and the first answers cost as the content
// grows. For 5 guides (the real content) and for GUIDES (default 200: the real ones and copies of
// the FranceConnect guide, written in every language the project has), in a temporary CONTENT_DIR:
// the release build's time, the time from spawn to /readyz 200, the server's CPU in the 3 s after
// ready (no compression left to do), its RSS after start and after a mixed load (LOAD_SECONDS,
// default 60: guides, handouts, help-desk steps, homes and tool answers of every guide and
// language, round-robin over several connections), and the latency of first requests for pages
// not yet in memory (p50/p99), and an editor's publish of one text: its answer and the time until
// readers get the new text. The server on core 0, the load on core 1. Not a test.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, has, onCore, pin, rssMb, serverArgs, sleep } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GUIDES = Number(process.argv[2] ?? process.env.GUIDES ?? 200);
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const PORT = 3411;
// The guide copied: FranceConnect is written in every language the project has; TEMPLATE=cnops gives 3.
const TEMPLATE = process.env.TEMPLATE ?? 'franceconnect';
if (!existsSync(join(root, 'dist/build.js'))) {
  console.error('Compile first: npm run compile');
  process.exit(1);
}
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const request = (path, headers = { 'accept-encoding': 'gzip, deflate, br' }) =>
  new Promise((resolve, reject) => {
    const start = performance.now();
    get({ host: '127.0.0.1', port: PORT, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - start }));
    }).on('error', reject);
  });
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** The real guides, then copies of the template guide under new slugs (their tools too), up to `count`. */
function makeContent(dir, count) {
  cpSync(join(root, 'content'), dir, { recursive: true });
  const real = readdirSync(join(dir, 'guides'));
  for (let i = 1; real.length + i <= count; i++) {
    const slug = `${TEMPLATE}-copy-${String(i).padStart(3, '0')}`;
    const to = join(dir, 'guides', slug);
    cpSync(join(root, 'content/guides', TEMPLATE), to, { recursive: true });
    const guide = join(to, 'guide.yaml');
    // A tool is defined by one guide: the copies' tools are tools of their own.
    const yaml = readFileSync(guide, 'utf8')
      .replace(new RegExp(`^slug: ${TEMPLATE}$`, 'm'), `slug: ${slug}`)
      .replace(/^(\s+tool: )([a-z-]+)$/gm, `$1$2-copy-${i}`);
    writeFileSync(guide, yaml);
  }
}

async function measure(count) {
  const dir = mkdtempSync(join(tmpdir(), 'dalil-scale-'));
  const env = {
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: String(PORT),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    BASE_URL: 'https://dalil.bench',
    CONTENT_DIR: join(dir, 'content'),
    RELEASE_DIR: join(dir, 'release'),
    DATABASE_URL: `file:${join(dir, 'dalil.sqlite')}`,
    SHUTDOWN_DRAIN_MS: '0',
  };
  makeContent(env.CONTENT_DIR, count);
  let start = performance.now();
  execFileSync(process.execPath, [join(root, 'dist/build.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const buildS = (performance.now() - start) / 1000;
  const index = JSON.parse(readFileSync(join(env.RELEASE_DIR, 'index.json'), 'utf8'));
  const pages = Object.keys(index.pages);
  const releaseMb = Number(execFileSync('du', ['-sm', env.RELEASE_DIR], { encoding: 'utf8' }).split('\t')[0]);

  start = performance.now();
  const [cmd, args] = onCore(0, process.execPath, serverArgs(root));
  const server = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (;;) {
    const r = await request('/readyz').catch(() => undefined);
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}) before it was ready`);
    if (r?.status === 200) break;
    if (performance.now() - start > 60_000) throw new Error('not ready after 60 s');
    await sleep(10);
  }
  const readyMs = performance.now() - start;
  const pid = server.pid; // taskset execs the server: the same process
  const cpuBefore = cpuMs(pid);
  await sleep(3000);
  const idleCpuMs = cpuMs(pid) - cpuBefore;
  const rssStart = rssMb(pid);

  // First requests: pages of the release in a shuffled order, one at a time, none asked before.
  const html = pages.filter((p) => /^\/[a-z]{2,3}\/guides\//.test(p));
  const sample = html.sort(() => Math.random() - 0.5).slice(0, 300);
  const first = [];
  for (const p of sample) first.push((await request(p)).ms);

  // Mixed load: every guide page of the release and tool answers rendered on demand, round-robin.
  const tools = [
    '/fr/tools/identity-provider?answered=1&has=smartphone',
    '/ar/tools/identity-provider?answered=1&has=tax-number',
    '/en/tools/orientation?knows-site=yes&has-account=no',
  ];
  const mix = [...html, ...pages.filter((p) => /^\/[a-z]{2,3}\/$/.test(p)), ...tools];
  const list = join(dir, 'paths.lua');
  writeFileSync(
    list,
    `paths = {${mix.map((p) => JSON.stringify(p)).join(',')}}\ni = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip, deflate, br" })\nend\n`,
  );
  let loadRps;
  let rssPeak = rssStart;
  if (has('wrk')) {
    const wrkArgs = ['-t1', '-c16', `-d${LOAD_SECONDS}s`, '-s', list, `http://127.0.0.1:${PORT}`];
    const [c, a] = onCore(1, 'wrk', wrkArgs);
    const wrk = spawn(c, a, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    wrk.stdout.on('data', (d) => (out += d));
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 500);
    await new Promise((r) => wrk.on('close', r));
    clearInterval(sampler);
    loadRps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  } else {
    const until = performance.now() + LOAD_SECONDS * 1000;
    let n = 0;
    while (performance.now() < until) {
      await Promise.all(Array.from({ length: 8 }, (_, k) => request(mix[(n + k) % mix.length])));
      n += 8;
      rssPeak = Math.max(rssPeak, rssMb(pid));
    }
    loadRps = n / LOAD_SECONDS;
  }
  const rssLoad = rssMb(pid);
  const publish = await publishOne(env);
  server.kill('SIGTERM');
  await new Promise((r) => server.on('close', r));
  rmSync(dir, { recursive: true, force: true });
  const languages = new Set(html.map((p) => p.split('/')[1])).size;
  return { count, languages, pages: pages.length, releaseMb, buildS, readyMs, idleCpuMs, rssStart, rssLoad, rssPeak, first, loadRps, publish };
}

/**
 * An editor's fix, as the editors' area makes it (content in a git repository of its own): an
 * editor saves one French text and submits it, a reviewer approves it; then the time from the
 * publish's click to the readers' page showing the new text (the publish's answer, then the page
 * asked every 20 ms).
 */
async function publishOne(env) {
  const git = (...args) => execFileSync('git', args, { cwd: env.CONTENT_DIR, stdio: 'ignore' });
  git('init', '--quiet');
  git('add', '.');
  git('-c', 'user.name=Bench', '-c', 'user.email=bench@example.invalid', 'commit', '--quiet', '-m', 'content');
  for (const [name, role] of [
    ['bench-editor', 'editor'],
    ['bench-reviewer', 'reviewer'],
  ]) {
    execFileSync(process.execPath, [join(root, 'dist/editor-cli.js'), 'add', name, '--role', role, '--password-stdin'], {
      env,
      input: 'a long enough pass phrase\n',
      stdio: ['pipe', 'ignore', 'inherit'],
    });
  }
  const origin = `http://127.0.0.1:${PORT}`;
  const headers = { origin: env.BASE_URL, 'content-type': 'application/x-www-form-urlencoded' };
  const csrfOf = (html) => /name="csrf" value="([^"]+)"/.exec(html)[1];
  const session = async (name) => {
    const token = csrfOf(await (await fetch(`${origin}/editor/sign-in`)).text());
    const body = new URLSearchParams({ name, password: 'a long enough pass phrase', csrf: token });
    const res = await fetch(`${origin}/editor/sign-in`, { method: 'POST', redirect: 'manual', headers, body });
    const cookie = res.headers.get('set-cookie').split(';')[0];
    const csrf = csrfOf(await (await fetch(`${origin}/editor/`, { headers: { cookie } })).text());
    const post = (path, fields) =>
      fetch(`${origin}${path}`, { method: 'POST', redirect: 'manual', headers: { ...headers, cookie }, body: new URLSearchParams({ ...fields, csrf }) });
    const read = async (path) => (await fetch(`${origin}${path}`, { headers: { cookie } })).text();
    return { post, read };
  };
  const marker = `Bench ${Date.now()}`;
  const editor = await session('bench-editor');
  await editor.post('/editor/guides/cnops/fr', { 'text.title': marker });
  const id = /href="\/editor\/changes\/(\d+)"/.exec(await editor.read('/editor/guides/cnops/fr'))[1];
  await editor.post(`/editor/changes/${id}`, { do: 'submit', summary: 'bench', summary_language: 'fr' });
  const reviewer = await session('bench-reviewer');
  await reviewer.post(`/editor/changes/${id}`, { do: 'approve' });
  // Readers meanwhile: 50 connections asking for the page, each answer checked (2xx, and the old
  // page or the new one: its title is the old one or the marker, never anything else).
  const old = /<title>([^<]*)<\/title>/.exec(await (await fetch(`${origin}/fr/guides/cnops`)).text())[1];
  let reading = true;
  let served;
  const seen = { answers: 0, failed: 0, neither: 0, slowestMs: 0 };
  const readers = Array.from({ length: 50 }, async () => {
    while (reading) {
      const asked = performance.now();
      const res = await fetch(`${origin}/fr/guides/cnops`).catch(() => undefined);
      const text = res ? await res.text() : '';
      seen.slowestMs = Math.max(seen.slowestMs, performance.now() - asked);
      seen.answers += 1;
      if (!res || res.status < 200 || res.status >= 300) seen.failed += 1;
      else if (text.includes(marker)) served ??= performance.now();
      else if (!text.includes(`<title>${old}</title>`)) seen.neither += 1;
    }
  });
  const start = performance.now();
  const answer = await reviewer.post(`/editor/changes/${id}`, { do: 'publish' });
  const answerMs = performance.now() - start;
  if (answer.status !== 303) throw new Error(`the publish answered ${answer.status}`);
  while (served === undefined) {
    if (performance.now() - start > 120_000) throw new Error('the new text was not served within 2 minutes');
    await sleep(20);
  }
  await sleep(1000);
  reading = false;
  await Promise.all(readers);
  return { answerMs, servedMs: served - start, ...seen };
}

const rows = [];
for (const count of [5, GUIDES]) {
  process.stderr.write(`${count} guides: building, starting, loading for ${LOAD_SECONDS} s …\n`);
  rows.push(await measure(count));
}
agent.destroy();

const f = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
console.log(
  `\nDalil bench:scale: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${pin ? 'server on core 0, load on core 1' : 'not pinned'}; production, LOG_LEVEL=warn`,
);
console.log(`copies of the ${TEMPLATE} guide beside the real ones; load: ${LOAD_SECONDS} s of wrk -c16 over every guide page, every home and tool answers\n`);
console.log(
  'guides  langs  pages  release MB  build s  ready ms  CPU ms in 3 s after  RSS MB start  after load (peak)  first req p50 ms  p99 ms  load req/s  publish → served ms',
);
for (const r of rows) {
  console.log(
    [
      String(r.count).padStart(6),
      String(r.languages).padStart(6),
      String(r.pages).padStart(6),
      String(r.releaseMb).padStart(11),
      f(r.buildS, 1).padStart(8),
      f(r.readyMs).padStart(9),
      f(r.idleCpuMs).padStart(20),
      f(r.rssStart).padStart(13),
      `${f(r.rssLoad)} (${f(r.rssPeak)})`.padStart(18),
      f(quantile(r.first, 0.5), 2).padStart(17),
      f(quantile(r.first, 0.99), 2).padStart(7),
      f(r.loadRps).padStart(11),
      `${f(r.publish.answerMs)} → ${f(r.publish.servedMs)}`.padStart(20),
    ].join(' '),
  );
}
for (const r of rows) {
  console.log(
    `${r.count} guides: during the publish, 50 readers got ${r.publish.answers} answers: ${r.publish.failed} not 2xx, ${r.publish.neither} neither the old page nor the new; the slowest took ${f(r.publish.slowestMs)} ms`,
  );
}
console.log(
  '\ntargets: ready < 1 s (5 guides), < 1.5 s (200 guides); RSS < 250 MB after start and after load; no compression after ready; a publish served ≤ 5 s (5 guides), ≤ 15 s (200 guides)',
);
