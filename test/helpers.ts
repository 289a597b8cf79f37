import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadSite, type Site } from '../src/site.js';
import { openStore, type Store } from '../src/store/db.js';
import { TEST_BASE_URL } from './global-setup.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const BASE_URL = TEST_BASE_URL;

let site: Promise<Site> | undefined;
/** The real site (languages, UI strings, guides) as the server loads it, read once per test file. */
export const realSite = () => (site ??= loadSite(ROOT));

/**
 * The real content copied into `dir`/content, to be made a git repository of its own (`create`,
 * in a test's set-up: one commit, as a deployment's content is) that a publish commits to; `git`
 * runs git in it.
 */
export function contentRepository(dir: string) {
  const content = join(dir, 'content');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: content, encoding: 'utf8' }).trim();
  const create = () => {
    cpSync(join(ROOT, 'content'), content, { recursive: true });
    git('init', '--quiet');
    git('add', '.');
    git('-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'commit', '--quiet', '-m', 'The content as it is');
  };
  return { content, git, create };
}

let store: Store | undefined;
/** A feedback store of its own for the test file: SQLite in a temporary folder. */
export function testStore(): Store {
  store ??= openStore({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'dalil-test-store-')), 'dalil.sqlite') }, ROOT);
  return store;
}

/** The app as the server builds it, with the real content and a SQLite store (so pages carry the readers' forms). */
export async function testApp(env: Record<string, string> = {}) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL, ...env });
  return createApp({ config, site: await realSite(), logger: pino({ level: 'silent' }), store: testStore() });
}

/** The value of an attribute of the first element matching a tag with that attribute, from served HTML. */
export function htmlAttr(html: string, tag: string, attr: string): string | undefined {
  const m = new RegExp(`<${tag}\\b[^>]*\\b${attr}="([^"]*)"`).exec(html);
  return m?.[1];
}

/**
 * An editor signed in through the area's own forms (the sign-in form's token, then the session's
 * from a page of the area): requests in the editor's language, forms posted from this site with
 * the session's CSRF token.
 */
export async function editorSession(app: Parameters<typeof request>[0], name: string, password: string, language = 'en') {
  const form = await request(app).get('/editor/sign-in');
  const token = /name="csrf" value="([^"]+)"/.exec(form.text)![1]!;
  const res = await request(app)
    .post('/editor/sign-in')
    .set({ origin: BASE_URL })
    .type('form')
    .send(new URLSearchParams({ name, password, csrf: token }).toString());
  if (res.status !== 303) throw new Error(`${name} could not sign in: ${res.status}`);
  const cookie = res.headers['set-cookie']![0]!.split(';')[0]!;
  const page = await request(app).get('/editor/').set('cookie', cookie);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
  return {
    cookie,
    csrf,
    get: (path: string) => request(app).get(path).set('cookie', cookie).set('accept-language', language),
    post: (path: string, fields: Record<string, string>) =>
      request(app)
        .post(path)
        .set({ origin: BASE_URL })
        .set('cookie', cookie)
        .set('accept-language', language)
        .type('form')
        .send(new URLSearchParams({ ...fields, csrf }).toString()),
  };
}
