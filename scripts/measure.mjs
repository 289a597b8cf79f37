// What the bench scripts share: which commands the machine has, pinning to a core, a pause, a
// process's CPU time and memory as Linux counts them, and the app's answers and their replay.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';

/**
 * The V8 flags production starts the server with: those of package.json's start script (the
 * Dockerfile's are the same: a test checks). The bench's references run with them too.
 */
export function serverFlags(root) {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
  return /\bnode((?: --\S+)*) dist\/server\.js/.exec(start)[1].split(' ').filter(Boolean);
}

/** The arguments that start the server as production does. */
export const serverArgs = (root) => [...serverFlags(root), join(root, 'dist/server.js')];

/** Whether a command is on the PATH. */
export const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Two cores or more and taskset: each server on core 0, the load on core 1, so that they do not share one. */
export const pin = has('taskset') && cpus().length >= 2;

/** [command, args] that run `cmd args` on `core` when pinning (taskset execs it: the same pid). */
export const onCore = (core, cmd, args) => (pin ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The middle value of a list (the upper one of an even list). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** User + system CPU time of a process, in ms. */
export const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

/**
 * Waits until a process has done its background work (brotli of pages rendered on demand): at most
 * `idleMs` of CPU in a second (a process under valgrind never quite idles), or `maxSeconds` passed.
 */
export async function settle(pid, idleMs = 10, maxSeconds = 120) {
  for (let before = cpuMs(pid), s = 0; s < maxSeconds; s++) {
    await sleep(1000);
    const now = cpuMs(pid);
    if (now - before <= idleMs) return;
    before = now;
  }
}

/** Resident memory of a process, in MB. */
export const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** One answer as it came off the wire: status, raw header lines, body. */
export const fetchRaw = (port, path, headers = {}, agent = undefined) =>
  new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: res.rawHeaders, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });

/** Asks until the answer is the one awaited (the server is up); the time it took, in ms. */
export async function until(port, path, ok = (r) => r.status === 200, ms = 20000) {
  const start = Date.now();
  for (;;) {
    try {
      const r = await fetchRaw(port, path);
      if (ok(r)) return Date.now() - start;
    } catch {
      // not listening yet
    }
    if (Date.now() - start > ms) throw new Error(`no answer on port ${port}`);
    await sleep(20);
  }
}

/** `count` requests for a path over `connections` kept-alive connections, as fast as answered. */
export async function send(port, path, headers, count, connections = 10) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let left = count;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (left-- > 0) {
        // A kept-alive connection the server closed as it was reused: asked again on a new one.
        await fetchRaw(port, path, headers, agent).catch((error) => {
          if (error.code !== 'ECONNRESET') throw error;
          left += 1;
        });
      }
    }),
  );
  agent.destroy();
}

/** The app's environment for the bench: production, a release of its own in `dir`, quiet. */
export const benchEnv = (dir, port) => ({
  PATH: process.env.PATH,
  PORT: String(port),
  HOST: '127.0.0.1',
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  BASE_URL: 'https://dalil.bench',
  RELEASE_DIR: join(dir, 'release'),
  // FAST_SHAPES=off npm run bench measures the server with Node's and Express's stock objects.
  ...(process.env.FAST_SHAPES ? { FAST_SHAPES: process.env.FAST_SHAPES } : {}),
});

export const TOOL = '/en/tools/identity-provider?answered=1&has=msa-membership&has=smartphone';
const BROWSER = { 'accept-encoding': 'gzip, deflate, br' };
/** What is measured: answers from the cache (a release page, a home, a tool answer rendered once, a 304). */
export const scenarios = () => [
  { name: 'guide page (br)', path: '/ar/guides/franceconnect', headers: BROWSER },
  { name: 'home page (br)', path: '/fr/', headers: BROWSER },
  { name: 'tool result (br)', path: TOOL, headers: BROWSER },
  // Another page than the first row's: every server answers by the request target alone.
  { name: '304 revalidation', path: '/fr/guides/franceconnect', headers: BROWSER, revalidate: true },
];

/**
 * A running copy has served more than cached pages: health checks, pages rendered on demand (tool
 * answers, not-found pages), assets. What a process did before shapes how fast Node's code runs
 * for everyone after (V8 specialises it to what it has seen), so each server is measured after
 * this mix: the app, and the bare replay answering it with the app's own answers (captured).
 * Each item { path, headers, count, connections }, in the order sent.
 */
export function productionMix() {
  const list = [];
  const tools = ['', '&has=smartphone', '&has=msa-membership', '&has=smartphone&has=msa-membership'];
  for (const [i, lang] of ['fr', 'en', 'ar', 'prs', 'ps'].entries()) {
    list.push({ path: '/readyz', headers: {}, count: 40, connections: 2 });
    list.push({ path: `/${lang}/guides/nothing-${i}`, headers: BROWSER, count: 5, connections: 1 });
    for (const q of tools) list.push({ path: `/${lang}/tools/identity-provider?answered=1${q}`, headers: BROWSER, count: 5, connections: 1 });
    list.push({ path: `/assets/nothing-${i}.css`, headers: BROWSER, count: 5, connections: 1 });
  }
  list.push({ path: TOOL, headers: BROWSER, count: 2, connections: 1 });
  return list;
}

/** Sends the production-like mix to a server. */
export async function asInProduction(port, mix = productionMix()) {
  for (const m of mix) await send(port, m.path, m.headers, m.count, m.connections);
}

/**
 * Each scenario's answer from the app, as the references replay it: status, the header lines but
 * those Node's HTTP layer writes itself, body; and the bytes one answer spends before its body.
 */
export async function capture(port, list) {
  const own = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
  for (const s of list) {
    const first = await fetchRaw(port, s.path, s.headers);
    if (s.revalidate) s.headers = { ...s.headers, 'if-none-match': first.headers.etag };
    const res = await fetchRaw(port, s.path, s.headers);
    s.status = res.status;
    s.raw = [];
    for (let i = 0; i < res.raw.length; i += 2) if (!own.has(res.raw[i].toLowerCase())) s.raw.push(res.raw[i], res.raw[i + 1]);
    s.body = res.body;
    s.headerBytes = res.raw.reduce((n, v) => n + Buffer.byteLength(v) + 2, 0) + Buffer.byteLength(`HTTP/1.1 ${res.status} OK\r\n\r\n`);
  }
}

/**
 * The runtime's limit: a ten-line node:http server answering each path of the scenarios and of the
 * mix with the app's answer to it, as captured (written to `file`), as the source for `node -e`. It
 * is asked for the very same request targets as the app (parsing a longer one costs more). Measure
 * it after the same mix as the app (asInProduction).
 */
export function replayServer(list, mix, file, port) {
  const answers = [...mix, ...list].map((s) => [s.path, s]);
  writeFileSync(file, JSON.stringify(answers.map(([path, s]) => [path, { status: s.status, raw: s.raw, body: s.body.toString('base64') }])));
  return `const a=new Map(require(${JSON.stringify(file)}).map(([p,x])=>[p,{...x,body:Buffer.from(x.body,'base64')}]));
require('http').createServer((q,r)=>{const x=a.get(q.url);r.writeHead(x.status,x.raw);r.end(q.method==='HEAD'?undefined:x.body);}).listen(${port},'127.0.0.1');`;
}
