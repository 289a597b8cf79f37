import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createCache } from '../../src/cache/store.js';
import { loadConfig } from '../../src/config.js';
import { errorHandler } from '../../src/http/errors.js';
import { fingerprintAssets } from '../../src/render/assets.js';
import { createViews } from '../../src/render/nunjucks.js';
import { ROOT, realSite } from '../helpers.js';

describe('health', () => {
  it('/healthz and /readyz answer in plain text while running', async () => {
    const site = await realSite();
    const lifecycle = { ready: true };
    const app = createApp({ config: loadConfig({ NODE_ENV: 'test' }), site, logger: pino({ level: 'silent' }), lifecycle });
    const live = await request(app).get('/healthz');
    expect([live.status, live.headers['content-type'], live.text]).toEqual([200, 'text/plain; charset=utf-8', 'ok\n']);
    expect((await request(app).get('/readyz')).status).toBe(200);
    lifecycle.ready = false;
    const ready = await request(app).get('/readyz');
    expect([ready.status, ready.text]).toEqual([503, 'shutting down\n']);
    expect((await request(app).get('/healthz')).status).toBe(200);
  });
});

describe('unexpected errors', () => {
  async function failingApp(env: 'production' | 'development') {
    const site = await realSite();
    const deps = {
      baseUrl: 'https://dalil.test',
      development: env === 'development',
      registry: site.registry,
      i18n: site.i18n,
      views: createViews(`${ROOT}/views`, false),
      logger: pino({ level: 'silent' }),
      cache: createCache(),
      assets: fingerprintAssets(`${ROOT}/public`),
    };
    return express()
      .get('/ar/boom', () => {
        throw new Error('secret detail');
      })
      .use(errorHandler(deps));
  }

  it('are a localized 500 page with no stack trace in production', async () => {
    const res = await request(await failingApp('production')).get('/ar/boom');
    expect(res.status).toBe(500);
    expect(res.headers['content-language']).toBe('ar');
    expect(res.text).toContain('<h1>حدث خطأ</h1>');
    expect(res.text).not.toContain('secret detail');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('show the stack trace in development only', async () => {
    const res = await request(await failingApp('development')).get('/ar/boom');
    expect(res.status).toBe(500);
    expect(res.text).toContain('Error: secret detail');
  });
});
