import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openStore, type Store } from '../../src/store/db.js';
import { addEditor } from '../../src/store/editors.js';
import { BASE_URL, realSite, ROOT } from '../helpers.js';
import { startServer } from '../server.js';
import { databases, postgresReachable, type TestDatabase } from '../stores.js';

/**
 * Sign-in limits under simultaneous attempts: each attempt is counted in the store before its
 * password is checked, so that 60 at once for one account (limit 5) check 5 passwords, not 60, on
 * one copy or two sharing PostgreSQL; and password checks run a few at a time, the rest refused at once.
 */
const PASSWORD = 'correct horse battery staple';
const opened: Store[] = [];
const made: TestDatabase[] = [];
afterAll(async () => {
  for (const store of opened) await store.close();
  for (const db of made) await db.drop();
});

async function copies(kind: 'sqlite' | 'postgres', n: number) {
  const db = await databases[kind]();
  made.push(db);
  const site = await realSite();
  const apps: Express[] = [];
  for (let i = 0; i < n; i++) {
    const url = db.database.kind === 'sqlite' ? `file:${db.database.path}` : db.database.url;
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL, TRUST_PROXY: '1', DATABASE_URL: url });
    const store = openStore(config.feedback.database, ROOT);
    opened.push(store);
    expect(await store.available()).toBe(true);
    apps.push(createApp({ config, site, logger: pino({ level: 'silent' }), store }));
  }
  await addEditor(opened.at(-1)!, 'amina', PASSWORD);
  const token = /name="csrf" value="([^"]+)"/.exec((await request(apps[0]!).get('/editor/sign-in')).text)![1]!;
  const attempt = (app: Express, password: string, from: string) =>
    request(app)
      .post('/editor/sign-in')
      .set({ origin: BASE_URL, 'x-forwarded-for': from })
      .type('form')
      .send(new URLSearchParams({ name: 'amina', password, csrf: token }).toString());
  return { apps, attempt };
}

describe.each(['sqlite', 'postgres'] as const)('sign-in limits on %s', async (kind) => {
  const reachable = kind === 'sqlite' || (await postgresReachable());

  it.skipIf(!reachable)(
    '60 wrong attempts at once for one account, from many addresses, over two copies: 5 checked, the rest 429; then even the right password waits',
    async () => {
      const { apps, attempt } = await copies(kind, 2);
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(apps[i % 2]!, `wrong ${i}`, `198.51.100.${i}`)));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(55);
      const right = await attempt(apps[0]!, PASSWORD, '203.0.113.1');
      expect(right.status).toBe(429);
      expect(right.headers['set-cookie']).toBeUndefined();
    },
    60_000,
  );

  it.skipIf(!reachable)(
    'a right password is not counted against the account',
    async () => {
      const { apps, attempt } = await copies(kind, 1);
      for (let i = 0; i < 8; i++) expect((await attempt(apps[0]!, PASSWORD, `192.0.2.${i}`)).status).toBe(303);
    },
    60_000,
  );
});

describe('200 sign-ins at once from one address, against the real server', () => {
  it('at most 20 passwords are checked, a few at a time; the rest are refused at once, and readers’ pages stay fast', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dalil-sign-in-'));
    const server = await startServer({ LOG_LEVEL: 'warn', DATABASE_URL: `file:${join(dir, 'dalil.sqlite')}` });
    try {
      const form = await fetch(`${server.origin}/editor/sign-in`);
      const token = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const attempt = async (i: number) =>
        (
          await fetch(`${server.origin}/editor/sign-in`, {
            method: 'POST',
            redirect: 'manual',
            headers: { origin: BASE_URL, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ name: `editor${i}`, password: `wrong password ${i}`, csrf: token }).toString(),
          })
        ).status;
      const pages: number[] = [];
      let done = false;
      const reading = (async () => {
        while (!done) {
          const started = performance.now();
          await (await fetch(`${server.origin}/fr/guides/cnops`)).text();
          pages.push(performance.now() - started);
        }
      })();
      const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => attempt(i)));
      done = true;
      await reading;
      pages.sort((a, b) => a - b);
      const p99 = pages[Math.floor(pages.length * 0.99)]!;
      const checked = statuses.filter((s) => s === 401).length;
      console.log(
        `200 sign-ins at once from one address: ${checked} checked (401), ${statuses.filter((s) => s === 429).length} refused (429); ${pages.length} pages meanwhile, p99 ${p99.toFixed(1)} ms`,
      );
      expect(checked).toBeLessThanOrEqual(20);
      expect(checked).toBeGreaterThan(0);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      // Quiet, p99 is some 40 ms; 305 ms was seen with the other test worker busy on the second core.
      // All 200 checked at once took seconds: the bound tells the two apart on a busy machine too.
      expect(p99).toBeLessThan(1000);
    } finally {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
