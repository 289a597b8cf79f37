import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ROOT } from '../helpers.js';

// The real server process, built as `npm start` builds it.
beforeAll(() => {
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: ROOT });
});

function start(root: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(root, 'dist/server.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const line = stdout.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve(JSON.parse(line).port);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  listening.catch(() => undefined); // awaited only by the tests that expect the server to start
  return { child, listening, exited, output: () => ({ stdout, stderr }) };
}

describe('start-up with broken content', () => {
  const copies: string[] = [];
  /** The built app in a folder of its own, with one content file changed. */
  function brokenCopy(file: string, change: (text: string) => string) {
    const copy = mkdtempSync(join(tmpdir(), 'dalil-broken-'));
    copies.push(copy);
    for (const dir of ['dist', 'views', 'locales', 'public', 'content']) cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const path = join(copy, 'content/guides/franceconnect', file);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
    return copy;
  }
  afterAll(() => copies.forEach((c) => rmSync(c, { recursive: true, force: true })));

  const edit = (f: (t: Record<string, any>) => void) => (text: string) => {
    const texts = parse(text);
    f(texts);
    return stringify(texts);
  };
  it.each([
    ['a YAML syntax error', 'prs.yaml', (t: string) => t.replace('login:', 'login: [oops'), /prs\.yaml: line \d+, column \d+: YAML syntax/],
    ['a schema violation', 'guide.yaml', (t: string) => t.replace('country: FR', 'country: France'), /guide\.yaml: country: must be an ISO 3166 code/],
    ['a missing translation', 'en.yaml', edit((t) => delete t.login.site), /en\.yaml: login\.site: missing/],
    ['an unknown id', 'fr.yaml', edit((t) => (t.login.extra = 'Texte en trop.')), /fr\.yaml: login\.extra: unknown id/],
    ['a wrong orthography', 'prs.yaml', edit((t) => (t.login.site += ' ھمکار')), /prs\.yaml: login\.site: "ھ" \(U\+06BE, .*\) is not دری orthography: write ه/],
    ['a link to a site the guide does not declare', 'ar.yaml', edit((t) => (t.login.site += ' [x](https://evil.example.com/)')), /ar\.yaml: login\.site: link https:\/\/evil\.example\.com\/ must be http\(s\) to a domain listed/],
  ])('%s stops it with exit 1 and a message naming the file, the path and the problem; nothing is served', async (_kind, file, change, message) => {
    const server = start(brokenCopy(file, change));
    const started = await Promise.race([server.exited, server.listening.then(() => 'listening')]);
    server.child.kill('SIGKILL');
    expect(started).toBe(1);
    const { stdout, stderr } = server.output();
    expect(stderr).toContain('Dalil cannot start.');
    expect(stderr).toMatch(message);
    expect(stdout).not.toContain('listening');
  });

  it('stops with exit 1 on bad configuration, naming the variable', async () => {
    const server = start(ROOT, { PORT: 'eighty' });
    expect(await server.exited).toBe(1);
    expect(server.output().stderr).toMatch(/Invalid configuration:\n\s+PORT:/);
  });
});

describe('SIGTERM', () => {
  let server: ReturnType<typeof start> & { child: ChildProcess };
  afterAll(() => server?.child.kill('SIGKILL'));

  it('stops accepting, finishes the request in flight, then exits 0', async () => {
    server = start(ROOT);
    const port = await server.listening;
    // A request whose headers are still arriving when the signal comes.
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let response = '';
    socket.on('data', (d: Buffer) => (response += d));
    socket.write('GET /fr/guides/franceconnect HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill('SIGTERM');
    // However busy the machine, wait until the server says it is shutting down.
    for (let i = 0; i < 100 && !server.output().stdout.includes('"shutting down"'); i++) await new Promise((r) => setTimeout(r, 50));

    const refused = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => resolve('accepted'));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    socket.write('Accept-Language: fr\r\nConnection: close\r\n\r\n');
    await once(socket, 'end');
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('Se connecter avec FranceConnect');
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toContain('"shutting down"');
  });
});
