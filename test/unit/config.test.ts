import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('defaults to port 3000, production, info logs, a localhost base URL', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '0.0.0.0', env: 'production', logLevel: 'info', baseUrl: 'http://localhost:3000', https: false });
  });

  it('reads PORT, BASE_URL (without its trailing slash) and turns HTTPS on from it', () => {
    const c = loadConfig({ PORT: '4000', BASE_URL: 'https://dalil.example/', NODE_ENV: 'development', LOG_LEVEL: 'debug' });
    expect(c).toMatchObject({ port: 4000, baseUrl: 'https://dalil.example', https: true, env: 'development', logLevel: 'debug' });
  });

  it('rejects bad values, listing every bad key', () => {
    const bad = () => loadConfig({ PORT: 'eighty', BASE_URL: 'ftp://x', LOG_LEVEL: 'loud', NODE_ENV: 'staging' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      const message = (e as Error).message;
      for (const key of ['PORT', 'BASE_URL', 'LOG_LEVEL', 'NODE_ENV']) expect(message).toContain(`${key}:`);
    }
  });

  it.each(['-1', '70000', '3.5'])('rejects PORT=%s', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT/);
  });
});

describe('limits', () => {
  it('has bounds for connections, queues, timeouts, the cache and the drain, with a drain only in production', () => {
    expect(loadConfig({}).limits).toEqual({
      maxConnections: 4096,
      maxQueuedResponses: 16,
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      socketTimeoutMs: 20_000,
      cacheEntries: 2000,
      cacheBytes: 64 * 1024 * 1024,
      shutdownDrainMs: 5_000,
    });
    expect(loadConfig({ NODE_ENV: 'development' }).limits.shutdownDrainMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '1500', CACHE_MB: '16', MAX_CONNECTIONS: '100' }).limits).toMatchObject({
      shutdownDrainMs: 1500,
      cacheBytes: 16 * 1024 * 1024,
      maxConnections: 100,
    });
  });

  it.each([
    ['MAX_CONNECTIONS', '0'],
    ['CACHE_MB', 'lots'],
    ['HEADERS_TIMEOUT_MS', '-5'],
    ['SHUTDOWN_DRAIN_MS', '1.5'],
  ])('rejects %s=%s', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(new RegExp(`${key}:`));
  });
});
