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
