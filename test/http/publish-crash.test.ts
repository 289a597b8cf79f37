import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedFiles, historyFiles } from '../../src/editing/files.js';
import { changeSet, currentDraft, moveSet, saveDrafts, setIntent } from '../../src/store/changes.js';
import { openStore, type Store } from '../../src/store/db.js';
import { addEditor } from '../../src/store/editors.js';
import { BASE_URL, ROOT, contentRepository } from '../helpers.js';
import { startServer } from '../server.js';

/**
 * A publish stopped at any moment (kill -9) leaves, once the server is started again, the old
 * content with the change set still approved, or the new content committed and the change set
 * published: never a mix, never a file waiting; every draft as it was.
 */
const dir = mkdtempSync(join(tmpdir(), 'dalil-crash-'));
const { content, git, create } = contentRepository(dir);
const database = join(dir, 'dalil.sqlite');
const file = join(content, 'guides', 'cnops', 'ar.yaml');
const PASSWORD = 'a long enough pass phrase';
const title = () => /^title: (.*)$/m.exec(readFileSync(file, 'utf8'))![1]!;
const waiting = () => readdirSync(join(content, 'guides', 'cnops')).filter((f) => f.endsWith('.publishing'));
const env = { DATABASE_URL: `file:${database}`, CONTENT_DIR: content, NODE_ENV: 'test', LOG_LEVEL: 'warn' };
let store: Store;

beforeAll(async () => {
  create();
  store = openStore({ kind: 'sqlite', path: database }, ROOT);
  expect(await store.available()).toBe(true);
  await addEditor(store, 'eda', PASSWORD, { role: 'editor', languages: ['ar'] });
  await addEditor(store, 'rafi', PASSWORD, { role: 'reviewer', languages: [] });
  await addEditor(store, 'nour', PASSWORD, { role: 'editor', languages: ['ar'] });
  // Another editor's draft, which no publish may touch.
  await saveDrafts(store, 'nour', [{ guide: 'cnops', language: 'ar', text_id: 'summary', base: 'x', value: 'مسودة لم تُنشر' }]);
}, 60_000);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** eda's change of the Arabic title, approved. */
async function approved(value: string) {
  await saveDrafts(store, 'eda', [{ guide: 'cnops', language: 'ar', text_id: 'title', base: title(), value }]);
  const draft = (await currentDraft(store, 'eda'))!;
  await moveSet(store, draft.id, 'draft', { status: 'approved', summary: `Titre : ${value}`, summary_language: 'fr' });
  return (await changeSet(store, draft.id))!;
}

/** An editor signed in to a running server through its forms: the session's cookie and CSRF token. */
async function signIn(origin: string, name: string) {
  const form = await fetch(`${origin}/editor/sign-in`);
  const token = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const signedIn = await fetch(`${origin}/editor/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: BASE_URL, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, password: PASSWORD, csrf: token }),
  });
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${origin}/editor/`, { headers: { cookie } })).text())![1]!;
  return { cookie, csrf };
}

async function nourDraft() {
  const draft = (await currentDraft(store, 'nour'))!;
  return (await changeSet(store, draft.id))!.changes.map((c) => c.value);
}

describe('a publish stopped at any moment', () => {
  it('the server finishes at start a publish whose intent was recorded, from any state its files were left in', async () => {
    for (const renamed of [0, 1, 2]) {
      const value = `عنوان بعد توقف ${renamed}`;
      const set = await approved(value);
      const files = changedFiles(content, set.changes);
      for (const [path, source] of historyFiles(content, set.changes, { date: '2026-12-06', summary: set.summary, language: 'fr' })) files.set(path, source);
      const paths = [...files.keys()];
      for (const [path, source] of files) writeFileSync(`${path}.publishing`, source);
      await setIntent(store, { set: set.id, by: 'rafi', author: 'eda', summary: set.summary, files: paths });
      // The process stopped after renaming `renamed` of the files.
      for (const path of paths.slice(0, renamed)) renameSync(`${path}.publishing`, path);
      const server = await startServer(env);
      try {
        expect(title()).toBe(value);
        expect(waiting()).toEqual([]);
        expect(git('status', '--porcelain')).toBe('');
        expect(git('log', '-1', '--format=%an|%s')).toBe(`eda|${set.summary}`);
        expect((await changeSet(store, set.id))!.status).toBe('published');
        expect(await (await fetch(`${server.origin}/ar/guides/cnops`)).text()).toContain(value);
      } finally {
        server.kill();
        await server.exited;
      }
    }
    expect(await nourDraft()).toEqual(['مسودة لم تُنشر']);
  }, 60_000);

  it('files written before the intent was recorded are removed at start: the old content stands, the change set still approved', async () => {
    const before = title();
    const set = await approved('عنوان لم يُسجَّل');
    for (const [path, source] of changedFiles(content, set.changes)) writeFileSync(`${path}.publishing`, source);
    const server = await startServer(env);
    try {
      expect(waiting()).toEqual([]);
      expect(title()).toBe(before);
      expect((await changeSet(store, set.id))!.status).toBe('approved');
    } finally {
      server.kill();
      await server.exited;
    }
    await moveSet(store, set.id, 'approved', { status: 'draft' });
  }, 60_000);

  it('killed (SIGKILL) at moments through a publish over HTTP: after a restart, all old or all new', async () => {
    let server = await startServer(env);
    // The session lives in the store: it outlives the process.
    const { cookie, csrf } = await signIn(server.origin, 'rafi');
    const publish = (id: number) =>
      fetch(`${server.origin}/editor/changes/${id}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: BASE_URL, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ do: 'publish', csrf }),
      });
    // How long a whole publish takes here: the kills are spread over it.
    const first = await approved('عنوان أول');
    let started = performance.now();
    expect((await publish(first.id)).status).toBe(303);
    const whole = performance.now() - started;
    const outcomes: string[] = [];
    try {
      for (const share of [0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 1.1]) {
        const delay = Math.round(share * whole);
        const old = title();
        const value = `عنوان ${delay}`;
        const set = await approved(value);
        started = performance.now();
        const publishing = publish(set.id).catch(() => undefined);
        await new Promise((r) => setTimeout(r, delay - (performance.now() - started)));
        server.child.kill('SIGKILL');
        await server.exited;
        await publishing;
        server = await startServer(env);
        const status = (await changeSet(store, set.id))!.status;
        outcomes.push(`${delay} ms: ${status}`);
        expect(waiting()).toEqual([]);
        expect(git('status', '--porcelain')).toBe('');
        if (status === 'published') {
          expect(title()).toBe(value);
          expect(git('log', '-1', '--format=%s')).toBe(set.summary);
        } else {
          expect(status).toBe('approved');
          expect(title()).toBe(old);
          await moveSet(store, set.id, 'approved', { status: 'draft' });
        }
        expect(await (await fetch(`${server.origin}/ar/guides/cnops`)).text()).toContain(title());
      }
    } finally {
      server.kill();
    }
    console.log(`a whole publish: ${Math.round(whole)} ms; killed after ${outcomes.join('; ')}`);
    expect(await nourDraft()).toEqual(['مسودة لم تُنشر']);
    expect(existsSync(`${file}.publishing`)).toBe(false);
  }, 90_000);

  it('in production, a publish is served at once; then the release of what changed is built beside the old one and served from', async () => {
    const release = join(dir, 'release');
    const production = { ...env, NODE_ENV: 'production', RELEASE_DIR: release, BASE_URL, LOG_LEVEL: 'info' };
    execFileSync(process.execPath, [join(ROOT, 'dist/build.js')], { env: { PATH: process.env.PATH ?? '', ...production }, stdio: 'pipe' });
    const old = JSON.parse(readFileSync(join(release, 'index.json'), 'utf8')) as { files: string; pages: Record<string, unknown> };
    const server = await startServer(production);
    try {
      const { cookie, csrf } = await signIn(server.origin, 'rafi');
      const set = await approved('عنوان في الإنتاج');
      const published = await fetch(`${server.origin}/editor/changes/${set.id}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: BASE_URL, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ do: 'publish', csrf }),
      });
      expect(published.status).toBe(303);
      expect(await (await fetch(`${server.origin}/ar/guides/cnops`)).text()).toContain('عنوان في الإنتاج');
      await expect.poll(() => server.output().stdout.includes('release of the published content ready'), { timeout: 60_000, interval: 200 }).toBe(true);
      const line = JSON.parse(
        server
          .output()
          .stdout.split('\n')
          .find((l) => l.includes('release of the published content ready'))!,
      ) as { release: string; pagesRendered: number };
      const now = JSON.parse(readFileSync(join(release, 'index.json'), 'utf8')) as { files: string; pages: Record<string, unknown> };
      expect(now.files).toBe(line.release);
      expect(now.files).not.toBe(old.files);
      // Only the pages of what changed were rendered; the folder of the release before is kept.
      expect(line.pagesRendered).toBeLessThan(Object.keys(now.pages).length / 2);
      expect(readdirSync(release).sort()).toEqual([old.files, now.files, 'index.json'].sort());
      expect(await (await fetch(`${server.origin}/ar/guides/cnops`)).text()).toContain('عنوان في الإنتاج');
    } finally {
      server.kill();
    }
  }, 90_000);
});
