import { EventEmitter } from 'node:events';
import { IncomingMessage, type RequestListener, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createHandler } from '../../src/handler.js';
import { createGuardedServer } from '../../src/http/connections.js';
import { keepTickShape, routerSymbols } from '../../src/http/shapes.js';
import { BASE_URL, realSite, testStore } from '../helpers.js';

/** What Express did to a request and its answer: whether they kept the prototypes the server gave them. */
interface Seen {
  url: string;
  status: number;
  madeAsExpress: boolean;
  prototypesKept: boolean;
  /** Properties the request and the answer were given while being answered (none: they kept one shape). */
  added: string[];
}

const keys = (o: object) => Reflect.ownKeys(o).map(String);
/** The properties an object has now that it did not have (`had`), each named after the object. */
const addedTo = (name: string, o: object, had: string[]) =>
  keys(o)
    .filter((k) => !had.includes(k))
    .map((k) => `${name}.${k}`);

describe('requests and answers are made with the prototypes and properties Express gives them, and keep them (http/shapes.ts)', () => {
  const seen: Seen[] = [];
  let origin = '';
  let close: () => void;

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL });
    const { handle, shapes: made } = createHandler({ config, site: await realSite(), logger: pino({ level: 'silent' }), store: testStore() });
    const shapes = made!;
    // The server's handler, watched: each object's prototype on arrival, then once answered.
    const watched: RequestListener = (req, res) => {
      const prototypes = [Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object];
      const madeAsExpress = req instanceof shapes.IncomingMessage && res instanceof shapes.ServerResponse;
      const before = [keys(req), keys(res)];
      res.on('finish', () => {
        const prototypesKept = Object.getPrototypeOf(req) === prototypes[0] && Object.getPrototypeOf(res) === prototypes[1];
        const added = [...addedTo('req', req, before[0]!), ...addedTo('res', res, before[1]!)];
        seen.push({ url: req.url!, status: res.statusCode, madeAsExpress, prototypesKept, added });
      });
      handle(req, res);
    };
    const guarded = createGuardedServer(watched, config.limits, () => undefined, shapes);
    await new Promise<void>((done) => guarded.server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(guarded.server.address() as AddressInfo).port}`;
    close = () => guarded.server.close();
  });
  afterAll(() => close());

  it.each([
    ['a guide page rendered by Express, then answered from the cache', '/fr/guides/franceconnect', 2, 200],
    ['a tool answer', '/en/tools/identity-provider?answered=1&has=smartphone', 1, 200],
    ['a page that does not exist', '/fr/guides/nothing-here', 1, 404],
    ['a request the router refuses', `/fr/guides/franceconnect?${'a=1&'.repeat(70)}`, 1, 400],
    ['the health check', '/readyz', 1, 200],
    ['an asset that does not exist', '/assets/nothing.css', 1, 404],
  ])('%s', async (_, path, times, status) => {
    for (let i = 0; i < times; i++) {
      const res = await fetch(origin + path);
      expect(res.status).toBe(status);
      // Express's own methods ran on these objects (render, status, set): the page is whole.
      if (status !== 200 || !path.startsWith('/readyz')) expect(await res.text()).toMatch(/<\/html>\s*$/);
      else await res.text();
    }
    const mine = seen.filter((s) => s.url === path);
    expect(mine).toHaveLength(times);
    for (const s of mine) expect(s).toMatchObject({ status, madeAsExpress: true, prototypesKept: true, added: [] });
  });

  it('a form posted (its body parsed by Express) keeps them too', async () => {
    const res = await fetch(`${origin}/fr/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'guide=franceconnect&kind=wrong&comment=bonjour',
    });
    expect(res.status).toBeLessThan(500);
    const s = seen.find((x) => x.url === '/fr/feedback')!;
    expect(s).toMatchObject({ madeAsExpress: true, prototypesKept: true, added: [] });
  });
});

describe('one process.nextTick entry is kept for the life of the process (http/shapes.ts)', () => {
  it('is a real entry of the queue, the same one however often asked', async () => {
    const kept = await keepTickShape();
    // What V8 must keep a hidden class of: an object made by Node's nextTick (its async ids under Node's own symbols, its callback and arguments).
    expect(Object.getOwnPropertySymbols(kept).map(String)).toEqual(expect.arrayContaining(['Symbol(async_id_symbol)', 'Symbol(trigger_async_id_symbol)']));
    expect(Object.keys(kept)).toEqual(['callback', 'args']);
    expect(await keepTickShape()).toBe(kept);
  });
});

describe('FAST_SHAPES=off: Node’s and Express’s own objects, the same answers', () => {
  it('the server takes Node’s classes and answers every kind of request as with the shapes on', async () => {
    const site = await realSite();
    const serve = async (FAST_SHAPES: string) => {
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL, FAST_SHAPES });
      const { handle, shapes } = createHandler({ config, site, logger: pino({ level: 'silent' }), store: testStore() });
      let classes = '';
      const guarded = createGuardedServer(
        (req, res) => {
          classes = `${req instanceof IncomingMessage && Object.getPrototypeOf(req) === IncomingMessage.prototype}/${Object.getPrototypeOf(res) === ServerResponse.prototype}`;
          handle(req, res);
        },
        config.limits,
        () => undefined,
        shapes,
      );
      await new Promise<void>((done) => guarded.server.listen(0, '127.0.0.1', done));
      const origin = `http://127.0.0.1:${(guarded.server.address() as AddressInfo).port}`;
      const answers: string[] = [];
      for (const path of [
        '/fr/guides/franceconnect',
        '/fr/guides/franceconnect',
        '/en/tools/identity-provider?answered=1&has=smartphone',
        '/fr/guides/nothing-here',
        '/readyz',
      ]) {
        const res = await fetch(origin + path);
        answers.push(`${res.status} ${res.headers.get('content-type')} ${(await res.text()).length}`);
      }
      guarded.server.close();
      return { shapes, classes, answers };
    };
    const on = await serve('on');
    const off = await serve('off');
    expect(on.shapes).toBeDefined();
    expect(on.classes).toBe('false/false');
    expect(off.shapes).toBeUndefined();
    // Node's own classes at arrival (Express then gives them its prototypes, as it always does).
    expect(off.classes).toBe('true/true');
    expect(off.answers).toEqual(on.answers);
  });
});

describe('what the shapes rely on upstream is still there (when this fails, an upgrade moved it: update src/http/shapes.ts, or run with FAST_SHAPES=off)', () => {
  it('the router keeps the route matched under the symbol of router/lib/symbols.js', () => {
    let symbols: Record<string, unknown> = {};
    try {
      symbols = createRequire(import.meta.url)('router/lib/symbols.js') as Record<string, unknown>;
    } catch {
      // reported below
    }
    expect(typeof symbols.matchedRoute, 'the router package no longer has lib/symbols.js with a matchedRoute symbol').toBe('symbol');
    expect(routerSymbols()[0], 'routerSymbols() no longer finds the router’s matchedRoute symbol').toBe(symbols.matchedRoute);
  });

  it('Node counts listeners in _eventsCount, and Express keeps the parsed address in _parsedUrl and _parsedOriginalUrl', async () => {
    const emitter = new EventEmitter();
    emitter.on('x', () => undefined);
    expect(Object.keys(emitter), 'Node’s EventEmitter no longer keeps _eventsCount on the object').toContain('_eventsCount');
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL, FAST_SHAPES: 'off' });
    const { handle } = createHandler({ config, site: await realSite(), logger: pino({ level: 'silent' }), store: testStore() });
    const added = new Map<string, string[]>();
    const guarded = createGuardedServer(
      (req, res) => {
        const before = keys(req);
        res.on('finish', () => added.set(req.url!, addedTo('req', req, before)));
        handle(req, res);
      },
      config.limits,
      () => undefined,
    );
    await new Promise<void>((done) => guarded.server.listen(0, '127.0.0.1', done));
    const origin = `http://127.0.0.1:${(guarded.server.address() as AddressInfo).port}`;
    const paths = [
      '/en/tools/identity-provider?answered=1&has=smartphone',
      '/fr/guides/nothing-here',
      '/assets/nothing.css',
      `/fr/guides/franceconnect?${'a=1&'.repeat(70)}`,
    ];
    for (const path of paths) await (await fetch(origin + path)).text();
    guarded.server.close();
    const all = new Set([...added.values()].flat());
    expect([...all], 'Express no longer keeps the parsed address in req._parsedUrl').toContain('req._parsedUrl');
    expect([...all], 'Express no longer keeps the original address in req._parsedOriginalUrl').toContain('req._parsedOriginalUrl');
    expect([...all], 'Node no longer counts a request’s listeners in req._eventsCount').toContain('req._eventsCount');
    expect([...all], 'the router no longer marks the route matched with its matchedRoute symbol').toContain('req.Symbol(router.tracing.matchedRoute)');
  });
});
