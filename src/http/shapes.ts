import { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * Requests and answers made with Express's prototypes, for the HTTP server to create.
 *
 * Express gives every request it handles its own prototype (`Object.setPrototypeOf(req,
 * app.request)`, the same for the answer). Node's own HTTP code then meets objects of two kinds,
 * and V8 makes it slower for both, also for the cache's answers that never reach Express: the same
 * ten-line node:http server answered 8-20 % fewer requests per second once it had let 300
 * requests through an Express app, and the app's fast path cost 143,000 instructions per answer
 * instead of 92,000 (npm run bench). Here the server creates them with Express's methods on their
 * prototype already, so that Express has nothing to change. (Declaring in advance the properties
 * Express adds as it routes was measured too: no better, and a generic loop doing it cost 10 %.)
 */
export function expressShapes(app: Express) {
  class Request extends IncomingMessage {}
  class Response<R extends IncomingMessage = IncomingMessage> extends ServerResponse<R> {}
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
