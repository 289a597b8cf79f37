import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Limits } from '../config.js';
import type { Shapes } from './shapes.js';

const QUEUED = Symbol('answers queued on this connection');
const LAST = Symbol('the last answer begun on this connection');
type Counted = Socket & { [QUEUED]?: number; [LAST]?: ServerResponse; parser?: { onIncoming: unknown } | null };

/**
 * Cuts a connection off at once: the socket is destroyed. With `stopParser` (FAST_SHAPES on), the
 * requests still in the chunk Node is parsing are refused by the parser itself (its header
 * callback answering -1 stops it: `socket.parser` is not a documented interface of Node), so a
 * flood of pipelined requests does not become a flood of request objects; without, they are made
 * and dropped (bounded by what one read of each connection holds).
 */
function cutOff(socket: Counted, stopParser: boolean) {
  if (stopParser && socket.parser) socket.parser.onIncoming = () => -1;
  socket.destroy();
}

function onQueuedFinish(this: ServerResponse) {
  (this.req.socket as Counted)[QUEUED]! -= 1;
}

/**
 * The last answer begun on a connection: while it is not finished (nor destroyed), answers are
 * owed there (Node writes a connection's answers in order, so when it is done, all are).
 */
export const lastAnswer = (socket: Socket): ServerResponse | undefined => (socket as Counted)[LAST];

export interface GuardedServer {
  server: Server;
  /** From now on every answer says Connection: close, so clients leave this copy. */
  drain(): void;
  /**
   * Stops listening; connections with nothing under way (idle kept-alive ones, and those that
   * never sent a byte) are destroyed at once and as they become idle; answers in flight finish.
   * Calls `closed` when the last connection is gone.
   */
  close(closed: () => void): void;
}

/**
 * The HTTP server with every bound a hostile client could otherwise push: connections open at
 * once, answers waiting on one connection (a client that pipelines and never reads is cut off;
 * Node itself stops reading from a connection whose answers do not drain), time to send headers
 * and a request, idle time, and time an answer may stand still. Timeouts are checked every
 * second, so that they fire near their nominal value.
 */
export function createGuardedServer(
  handle: RequestListener,
  limits: Limits,
  onClientError: (error: NodeJS.ErrnoException, socket: Socket) => void,
  shapes?: Shapes,
  /** May it use Node's undocumented parser hook (FAST_SHAPES): see cutOff. */
  internals = shapes !== undefined,
): GuardedServer {
  let draining = false;
  const guarded: RequestListener = (req, res) => {
    const socket = req.socket as Counted;
    if (socket.destroyed) return;
    // Node queues an answer behind the one being written when requests are pipelined.
    if (res.socket === null) {
      const queued = (socket[QUEUED] ?? 0) + 1;
      if (queued > limits.maxQueuedResponses) return cutOff(socket, internals);
      socket[QUEUED] = queued;
      res.on('finish', onQueuedFinish);
    }
    socket[LAST] = res;
    const open = sockets.get(socket);
    if (open) open.began = Date.now();
    if (draining) res.setHeader('Connection', 'close');
    handle(req, res);
  };
  const server = createServer(
    {
      ...shapes,
      connectionsCheckingInterval: 1000,
      headersTimeout: limits.headersTimeoutMs,
      // The whole request, body included, has a deadline: past it a 408 where it can still be written, and the socket goes.
      requestTimeout: limits.headersTimeoutMs + limits.bodyTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
    },
    guarded,
  );
  server.maxConnections = limits.maxConnections;
  server.on('clientError', onClientError);
  /** Each connection: when it opened, and where its writes stood when they last moved. */
  const sockets = new Map<Socket, { connected: number; sent: number; since: number; began: number }>();
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { connected: Date.now(), sent: 0, since: Date.now(), began: Date.now() });
    socket.once('close', () => sockets.delete(socket));
  });
  // An answer that does not move for SOCKET_TIMEOUT_MS (a client that stopped reading): the socket
  // is destroyed. Checked once a second over all connections rather than with a timer per socket,
  // which Node would re-arm on every read and write of every answer.
  const stalled = setInterval(() => {
    const now = Date.now();
    for (const [socket, s] of sockets) {
      // Bytes the kernel has taken: those handed to the socket less those still waiting in it.
      const sent = socket.bytesWritten - socket.writableLength;
      if (sent !== s.sent || socket.writableLength === 0) {
        s.sent = sent;
        s.since = now;
      } else if (now - s.since >= limits.socketTimeoutMs) socket.destroy();
    }
  }, 1000).unref();
  server.once('close', () => clearInterval(stalled));
  const closeIdle = () => {
    server.closeIdleConnections();
    // Node stops checking its request deadline once the server is closed: a request whose body
    // has still not come whole BODY_TIMEOUT_MS after its headers gets its 408 here (or its socket goes).
    const late = Date.now() - limits.bodyTimeoutMs;
    for (const [socket, { began }] of sockets) {
      const last = lastAnswer(socket);
      if (last && !last.req.complete && began < late) onClientError(Object.assign(new Error('request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket);
    }
    // Node counts a connection that has not sent a byte as busy (its headers timeout runs): one
    // silent for a second is idle (a younger one may have its request on the way).
    const silentSince = Date.now() - 1000;
    for (const [socket, { connected }] of sockets) if (socket.bytesRead === 0 && connected < silentSince) socket.destroy();
  };
  return {
    server,
    drain: () => {
      draining = true;
    },
    close: (closed) => {
      draining = true;
      server.close(() => closed());
      closeIdle();
      setInterval(closeIdle, 100).unref();
    },
  };
}
