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

/**
 * Roles, each allowed what the one before it is: an editor reads the reports, marks them handled
 * and exports them, writes drafts in their languages and submits them; a reviewer also approves
 * (never their own), sends back and publishes; an admin also manages accounts and reads the audit log.
 */
export const ROLES = ['editor', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The least role each action of the editors' area needs: the one table the server checks. */
export const ACTIONS = {
  read: 'editor',
  handle: 'editor',
  export: 'editor',
  save: 'editor',
  submit: 'editor',
  revert: 'editor',
  approve: 'reviewer',
  reject: 'reviewer',
  publish: 'reviewer',
  accounts: 'admin',
  audit: 'admin',
} as const satisfies Record<string, Role>;
export type Action = keyof typeof ACTIONS;

export const isRole = (role: string): role is Role => (ROLES as readonly string[]).includes(role);
/** Whether an account of this role may do this; an unknown role may do nothing. */
export const may = (role: string, action: Action) => isRole(role) && ROLES.indexOf(role) >= ROLES.indexOf(ACTIONS[action]);

export interface Account {
  role: Role;
  /** Language ids (ar, prs, …), checked against the site's languages by the caller. */
  languages: readonly string[];
}

function checkAccount({ role, languages }: Account) {
  if (!isRole(role)) throw new Error(`a role is one of ${ROLES.join(', ')}`);
  if (!languages.every((l) => /^[a-z]{2,3}$/.test(l))) throw new Error('languages are ids such as ar,prs');
}

export async function addEditor(store: Store, name: string, password: string, account: Account = { role: 'editor', languages: [] }, now = new Date()) {
  if (!EDITOR_NAME.test(name)) throw new Error('a name is 2 to 40 letters, digits, dots, dashes or underscores');
  if (password.length < 12) throw new Error('a password has at least 12 characters');
  checkAccount(account);
  await store.db
    .insertInto('editors')
    .values({ name, password_hash: await hashPassword(password), created_at: now.toISOString(), role: account.role, languages: account.languages.join(',') })
    .execute();
}

/** Every account, by name, with its role and languages. */
export async function listEditors(store: Store) {
  const rows = await store.db.selectFrom('editors').select(['name', 'created_at', 'role', 'languages']).orderBy('name').execute();
  return rows.map((r) => ({ ...r, languages: r.languages ? r.languages.split(',') : [] }));
}

/** Changes an account's role and languages; false if there is no such account. */
export async function changeEditor(store: Store, name: string, account: Account): Promise<boolean> {
  checkAccount(account);
  const result = await store.db
    .updateTable('editors')
    .set({ role: account.role, languages: account.languages.join(',') })
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

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
    .select(['editors.id', 'editors.name', 'editors.role', 'editors.languages', 'sessions.csrf'])
    .where('sessions.id', '=', sha256(token))
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
}

export async function endSession(store: Store, token: string) {
  await store.db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}
