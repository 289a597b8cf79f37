import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Store } from './db.js';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY = 32;

const derive = (password: string, salt: Buffer, n = N, r = R, p = P) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY, { N: n, r, p, maxmem: 256 * n * r }, (error, key) => (error ? reject(error) : resolve(key))),
  );

/** A password as the store keeps it: scrypt$N$r$p$salt$hash (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${(await derive(password, salt)).toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** An editor's name: letters, digits, dots, dashes and underscores, 2 to 40 of them. */
export const EDITOR_NAME = /^[\p{L}\p{N}._-]{2,40}$/u;

export async function addEditor(store: Store, name: string, password: string, now = new Date()) {
  if (!EDITOR_NAME.test(name)) throw new Error('a name is 2 to 40 letters, digits, dots, dashes or underscores');
  if (password.length < 12) throw new Error('a password has at least 12 characters');
  await store.db
    .insertInto('editors')
    .values({ name, password_hash: await hashPassword(password), created_at: now.toISOString() })
    .execute();
}

export const listEditors = (store: Store) => store.db.selectFrom('editors').select(['name', 'created_at']).orderBy('name').execute();

export async function removeEditor(store: Store, name: string): Promise<boolean> {
  const result = await store.db.deleteFrom('editors').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Too many password checks at once: the sign-in is refused at once rather than queued. */
export class TooManyChecks extends Error {}

/**
 * At most `running` password checks at once (scrypt takes 32 MB and some 100 ms of a core each),
 * `waiting` more in line; past that, refused at once: a burst of sign-ins never takes the memory,
 * the cores or Node's thread pool (which also reads the release's files) from readers.
 */
function gate(running: number, waiting: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= running) {
      if (queue.length >= waiting) throw new TooManyChecks('too many password checks at once');
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    active += 1;
    try {
      return await work();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}
const checks = gate(2, 8);

/** The editor whose name and password these are, or undefined (the same time spent either way). Throws TooManyChecks in a burst. */
export async function authenticate(store: Store, name: string, password: string) {
  const editor = await store.db.selectFrom('editors').selectAll().where('name', '=', name).executeTakeFirst();
  // An unknown name costs the same scrypt as a known one: nobody learns which names exist.
  const ok = await checks(() =>
    verifyPassword(password, editor?.password_hash ?? `scrypt$${N}$${R}$${P}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`),
  );
  return editor && ok ? editor : undefined;
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Sessions last 8 hours; the cookie carries a random token, the store only its hash. */
export const SESSION_HOURS = 8;

export async function createSession(store: Store, editorId: number, now = new Date()) {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await store.db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      editor_id: editorId,
      csrf,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    })
    .execute();
  return { token, csrf };
}

/** The signed-in editor of a session token, with the session's CSRF token; undefined if none or expired. */
export async function sessionEditor(store: Store, token: string, now = new Date()) {
  return store.db
    .selectFrom('sessions')
    .innerJoin('editors', 'editors.id', 'sessions.editor_id')
    .select(['editors.id', 'editors.name', 'sessions.csrf'])
    .where('sessions.id', '=', sha256(token))
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
}

export async function endSession(store: Store, token: string) {
  await store.db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}
