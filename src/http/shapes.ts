import { executionAsyncResource } from 'node:async_hooks';
import { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/**
 * The router keeps the route matched under a symbol of its own module (router/lib/symbols.js, not
 * one of its package's entry points); errors it traced, under a registered one. Read only when the
 * shapes are on (FAST_SHAPES), and if that module moves, left out: the server is slower, never wrong
 * (test/http/shapes.test.ts names the change).
 */
export function routerSymbols(): symbol[] {
  let matchedRoute: unknown;
  try {
    matchedRoute = (createRequire(import.meta.url)('router/lib/symbols.js') as { matchedRoute?: unknown }).matchedRoute;
  } catch {
    matchedRoute = undefined;
  }
  return [...(typeof matchedRoute === 'symbol' ? [matchedRoute] : []), Symbol.for('router.tracing.publishedErrors')];
}

type Open = Record<string | symbol, unknown>;

/**
 * Requests and answers made with Express's prototypes and Express's properties, for the HTTP
 * server to create.
 *
 * Express gives every request it handles its own prototype (`Object.setPrototypeOf(req,
 * app.request)`, the same for the answer). Node's own HTTP code then meets objects of two kinds,
 * and V8 makes it slower for both, also for the cache's answers that never reach Express: the same
 * ten-line node:http server answered 8-20 % fewer requests per second once it had let 300
 * requests through an Express app, and the app's fast path cost 143,000 instructions per answer
 * instead of 92,000 (npm run bench). Here the server creates them with Express's methods on their
 * prototype already, so that Express has nothing to change.
 *
 * Express and its router also add properties as they route (`req.next`, `req.params`, the route
 * matched …), each kind of request in its own order: a page, a not-found page, a form each left
 * the request with another hidden class, and Node's stream code, which every request passes
 * through, met so many that V8 gave up specialising it (megamorphic property access: some 3,500
 * instructions more per cached answer, callgrind). The constructors below declare them all, in
 * one order, so every request and every answer keeps one shape from start to end, whoever
 * answers it. A test (test/http/shapes.test.ts) checks that no request of any kind ends with a
 * property declared nowhere here: when Express or its router changes, it names what to add.
 *
 * Three of them are internals (Node's `_eventsCount`, parseurl's `_parsedUrl` and
 * `_parsedOriginalUrl`) and one comes from a private module of the router: all of this is used only
 * with FAST_SHAPES on (the default); with it off the server takes Node's own classes.
 */
export function expressShapes(app: Express) {
  const symbols = routerSymbols();
  class Request extends IncomingMessage {
    constructor(socket: Socket) {
      super(socket);
      const self = this as unknown as Open;
      // In the order Express, its router and body parser add them.
      self.res = undefined;
      self.next = undefined;
      self.baseUrl = undefined;
      self.originalUrl = undefined;
      self._parsedUrl = undefined;
      self.params = undefined;
      self.route = undefined;
      self._parsedOriginalUrl = undefined;
      self.body = undefined;
      // Node's event emitter adds it with the first listener (its value on the prototype is 0).
      self._eventsCount = 0;
      for (const symbol of symbols) self[symbol] = undefined;
    }
  }
  class Response<R extends IncomingMessage = IncomingMessage> extends ServerResponse<R> {
    constructor(req: R, options?: object) {
      // @ts-expect-error Node passes options too (highWaterMark …), which its types do not declare.
      super(req, options);
      const self = this as unknown as Open;
      // Node sets them as it writes the head (Express sets the status before): their values on the prototype.
      self.statusCode = 200;
      self.statusMessage = undefined;
      self.locals = undefined;
    }
  }
  adopt(Request.prototype, app.request);
  adopt(Response.prototype, app.response);
  // Express sets these as the prototypes of what it handles: they already are.
  app.request = Request.prototype as unknown as Express['request'];
  app.response = Response.prototype as unknown as Express['response'];
  return { IncomingMessage: Request, ServerResponse: Response };
}

export type Shapes = ReturnType<typeof expressShapes>;

/** Copies Express's methods and accessors (its prototype and the app's own) onto a class's prototype. */
function adopt(target: object, express: object) {
  for (const source of [Object.getPrototypeOf(express) as object, express]) {
    for (const key of Reflect.ownKeys(source)) {
      if (key !== 'constructor') Object.defineProperty(target, key, Object.getOwnPropertyDescriptor(source, key)!);
    }
  }
}

let tick: object | undefined;

/**
 * Keeps one entry of Node's `process.nextTick` queue alive for the life of the process, so that V8
 * never forgets its hidden class.
 *
 * Node queues every `process.nextTick` callback (some fifteen per answer: stream ends, writes,
 * closes) in an object literal made with computed keys. V8 keeps the hidden classes of that literal
 * only while an object of them lives: after a server has been idle, a full garbage collection found
 * none, the classes were made again, and the code making the literal, having met two, took V8's
 * slowest path for good (a call into the runtime for each key, `Runtime_DefineKeyedOwnPropertyInLiteral`):
 * about 40,000 instructions more per cached answer (+45 %), from then on, in 4 runs of 5 that
 * paused between batches of answers, none of 4 with an entry kept (valgrind, npm run bench).
 * The entry kept is a real one (what `executionAsyncResource()` is while a tick's callback runs).
 */
export function keepTickShape(): Promise<object> {
  if (tick) return Promise.resolve(tick);
  return new Promise((resolve) => process.nextTick(() => resolve((tick ??= executionAsyncResource()))));
}
