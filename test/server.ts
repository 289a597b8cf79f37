import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { TEST_BASE_URL, TEST_RELEASE } from './global-setup.js';
import { ROOT } from './helpers.js';

export interface RunningServer {
  child: ChildProcess;
  port: number;
  origin: string;
  /** The exit code, once the process has exited. */
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  /** Resident memory now, and its peak so far, in MB (from /proc). */
  memory(): { rss: number; peak: number };
  /** Descriptors the process holds open. */
  descriptors(): number;
  kill(): void;
}

/**
 * The built server (dist/, built once by test/global-setup.ts) as a process of its own, in
 * production unless told otherwise, answering from the release built for the tests.
 */
export function spawnServer(env: Record<string, string> = {}, root = ROOT) {
  const release = join(ROOT, TEST_RELEASE);
  const child = spawn(process.execPath, [join(root, 'dist/server.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      BASE_URL: TEST_BASE_URL,
      RELEASE_DIR: release,
      // The shapes-off test project runs the server with Node's and Express's stock objects.
      ...(process.env.FAST_SHAPES ? { FAST_SHAPES: process.env.FAST_SHAPES } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    // Keep the start of the log, not every request line of a long test.
    if (stdout.length < 200_000) stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Starts the built server and waits for its own "listening" line (it says it once it is ready). */
export async function startServer(env: Record<string, string> = {}, root = ROOT): Promise<RunningServer> {
  const { child, exited, output } = spawnServer(env, root);
  const port = await new Promise<number>((resolve, reject) => {
    const look = () => {
      const line = output()
        .stdout.split('\n')
        .find((l) => l.includes('"msg":"listening"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    };
    child.stdout.on('data', look);
    setTimeout(() => reject(new Error(`no "listening" line within 30 s: ${output().stderr}`)), 30_000).unref();
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${output().stderr}`)));
  });
  const status = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const mb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status())![1]) / 1024;
  return {
    child,
    port,
    origin: `http://127.0.0.1:${port}`,
    exited,
    output,
    memory: () => ({ rss: mb('VmRSS'), peak: mb('VmHWM') }),
    descriptors: () => readdirSync(`/proc/${child.pid}/fd`).length,
    kill: () => child.kill('SIGKILL'),
  };
}

export interface RawAnswer {
  status: number;
  head: string;
  body: Buffer;
}

/** Raw bytes to the server over a fresh connection; everything it sends back until it closes (or `wait` ms). */
export async function rawExchange(port: number, request: string | Buffer, wait = 5000): Promise<Buffer> {
  const socket: Socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => undefined);
  socket.write(request);
  await Promise.race([once(socket, 'close'), new Promise((r) => setTimeout(r, wait))]);
  socket.destroy();
  return Buffer.concat(chunks);
}

/** The HTTP answers to GET requests in a byte stream, one after the other (bodies by Content-Length). */
export function splitAnswers(bytes: Buffer): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const head = bytes.subarray(at, end).toString('latin1');
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
    const body = status === 304 ? Buffer.alloc(0) : bytes.subarray(end + 4, end + 4 + length);
    answers.push({ status, head, body });
    at = end + 4 + body.length;
  }
  return answers;
}
