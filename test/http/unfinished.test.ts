import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from '../server.js';

/**
 * Requests whose body never comes whole (a Content-Length not honoured): each gets its deadline,
 * whether its client stays or leaves, and the server lets every socket go. (Descriptors and socket
 * states, not memory: these run beside the other tests.)
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(50);
  return check();
}

/** Opens n raw connections to the server (half-open allowed: the client never closes on its own). */
async function openConnections(port: number, n: number): Promise<Array<{ socket: Socket }>> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      socket.on('error', () => undefined);
      await once(socket, 'connect').catch(() => undefined);
      return { socket };
    }),
  );
}

/** The server's sockets on its port in TCP state CLOSE-WAIT: the client has gone, the server has not let go. */
function closeWait(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6']
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').slice(1))
    .filter((l) => {
      const parts = l.trim().split(/\s+/);
      return parts[1]?.endsWith(`:${hex}`) && parts[3] === '08';
    }).length;
}

describe('requests whose body never comes whole', () => {
  /** Posts whose Content-Length promises more than is sent: half stay open, half leave (FIN). */
  async function unfinished(port: number, n: number) {
    const sockets: Socket[] = [];
    for (let i = 0; i < n; i += 250) {
      const batch = await openConnections(port, Math.min(250, n - i));
      for (const [k, c] of batch.entries()) {
        c.socket.write('POST /fr/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\ntype=report&gu');
        if (k % 2 === 1) c.socket.end();
        sockets.push(c.socket);
      }
    }
    return sockets;
  }
  /** Until the page and /healthz both answer 200; how long it took. */
  async function answering(origin: string, within: number) {
    const started = Date.now();
    while (Date.now() - started < within) {
      const ok = await Promise.all([fetch(`${origin}/healthz`), fetch(`${origin}/fr/`)]).then(
        (r) => r.every((x) => x.status === 200),
        () => false,
      );
      if (ok) return Date.now() - started;
      await sleep(100);
    }
    return Infinity;
  }

  it.each([
    ['the default connection limit', {}],
    ['MAX_CONNECTIONS=64', { MAX_CONNECTIONS: '64' }],
  ])(
    '5,000 of them, with %s: pages answer within the deadline plus 2 s, descriptors and CLOSE-WAIT go back to idle',
    async (_, env) => {
      const server = await startServer({ HEADERS_TIMEOUT_MS: '1000', BODY_TIMEOUT_MS: '1000', LOG_LEVEL: 'warn', ...env });
      try {
        const baseFds = server.descriptors();
        const sockets = await unfinished(server.port, 5000);
        const waited = await answering(server.origin, 2000 + 2000 + 2000);
        expect(waited).toBeLessThan(6000);
        // Every socket is let go: the ones whose client left at once, the others at the deadline.
        expect(await until(() => server.descriptors() <= baseFds + 5 && closeWait(server.port) === 0, 8000)).toBe(true);
        console.log(`5,000 unfinished bodies (${JSON.stringify(env)}): pages answered after ${waited} ms; descriptors ${baseFds} → ${server.descriptors()}`);
        for (const s of sockets) s.destroy();
      } finally {
        server.kill();
      }
    },
    60_000,
  );

  it('SIGTERM while they hang: the server logs "stopped", having closed the store, and exits 0', async () => {
    const server = await startServer({ HEADERS_TIMEOUT_MS: '1000', BODY_TIMEOUT_MS: '1000', SHUTDOWN_DRAIN_MS: '0', LOG_LEVEL: 'info' });
    const sockets = await unfinished(server.port, 1000);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toMatch(/"store":"closed"[^\n]*"msg":"stopped"/);
    for (const s of sockets) s.destroy();
  }, 30_000);
});
