import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Store } from './db.js';
import type { Database } from './schema.js';

export interface Change {
  guide: string;
  language: string;
  text_id: string;
  /** The published text the change started from. */
  base: string;
  /** The new text, as typed. */
  value: string;
  /** For a fact (language ''): where the new value was checked, and the day. */
  source?: string | null;
  checked?: string | null;
  /** For a translation: 'confirmed' (kept as it is against the changed reference) or 'reviewed' (by its author). */
  mark?: string | null;
}

const now = () => new Date().toISOString().slice(0, 19) + 'Z';

/** The author's draft being written: the one changed last, if any. */
export function currentDraft(store: Store, author: string) {
  return draftOf(store.db, author);
}

const draftOf = (db: Kysely<Database>, author: string) =>
  db
    .selectFrom('change_sets')
    .selectAll()
    .where('author', '=', author)
    .where('status', '=', 'draft')
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();

/** A new change set of this author's, in a status (a draft, or one made whole at once). */
const newSet = (tx: Kysely<Database>, author: string, fields: { status: ChangeSet['status']; summary?: string; summary_language?: string }) =>
  tx
    .insertInto('change_sets')
    .values({ author, summary: '', comment: '', created_at: now(), updated_at: now(), published_by: null, published_at: null, revision: null, ...fields })
    .returning('id')
    .executeTakeFirstOrThrow();

/** A change's row in a change set. */
const addChange = (tx: Kysely<Database>, set: number, c: Change) =>
  tx
    .insertInto('changes')
    .values({
      change_set_id: set,
      guide: c.guide,
      language: c.language,
      text_id: c.text_id,
      base: c.base,
      value: c.value,
      source: c.source ?? null,
      checked: c.checked ?? null,
      mark: c.mark ?? null,
    })
    .execute();

/**
 * Keeps texts as typed in the author's draft (made if there is none), each with the published text
 * the author saw as they typed it (its base: when the published text moves past it, that is a
 * conflict to look at before submitting). A text typed back to its base leaves the draft, unless
 * it is marked (confirmed or reviewed as it is).
 * Returns the draft's id.
 */
export async function saveDrafts(store: Store, author: string, entries: Change[]): Promise<number> {
  return store.db.transaction().execute(async (tx) => {
    const draft = (await draftOf(tx, author)) ?? (await newSet(tx, author, { status: 'draft' }));
    for (const e of entries) {
      // The text's row as typed now, or none if it is back to its base.
      await tx
        .deleteFrom('changes')
        .where((eb) => eb.and({ change_set_id: draft.id, guide: e.guide, language: e.language, text_id: e.text_id }))
        .execute();
      if (e.value !== e.base || e.mark) await addChange(tx, draft.id, e);
    }
    await tx.updateTable('change_sets').set({ updated_at: now() }).where('id', '=', draft.id).execute();
    return draft.id;
  });
}

/**
 * A change set made whole at once and sent for review (or approved, when no review is required):
 * what an imported translation file becomes. Returns its id.
 */
export async function submitSet(store: Store, author: string, changes: readonly Change[], summary: { text: string; language: string }, reviewed: boolean) {
  return store.db.transaction().execute(async (tx) => {
    const set = await newSet(tx, author, { status: reviewed ? 'submitted' : 'approved', summary: summary.text, summary_language: summary.language });
    for (const c of changes) await addChange(tx, set.id, c);
    return set.id;
  });
}

/** A change set with its changes (by guide, language and text) and its approvals, or undefined. */
export async function changeSet(store: Store, id: number) {
  const set = await store.db.selectFrom('change_sets').selectAll().where('id', '=', id).executeTakeFirst();
  if (!set) return undefined;
  const [changes, approvals] = await Promise.all([
    store.db.selectFrom('changes').selectAll().where('change_set_id', '=', id).orderBy('guide').orderBy('language').orderBy('text_id').execute(),
    store.db.selectFrom('approvals').selectAll().where('change_set_id', '=', id).orderBy('at').execute(),
  ]);
  return { ...set, changes, approvals };
}
export type ChangeSet = NonNullable<Awaited<ReturnType<typeof changeSet>>>;

/**
 * The texts these changes replaced when they were published (their bases), newest publish first,
 * by text id: the earlier reference texts a translation may have been written against.
 */
export async function publishedBases(store: Store, guide: string, language: string, ids: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await store.db
    .selectFrom('changes')
    .innerJoin('change_sets', 'change_sets.id', 'changes.change_set_id')
    .select(['changes.text_id', 'changes.base'])
    .where('change_sets.status', '=', 'published')
    .where('changes.guide', '=', guide)
    .where('changes.language', '=', language)
    .where('changes.text_id', 'in', [...ids])
    .orderBy('change_sets.published_at', 'desc')
    .orderBy('change_sets.id', 'desc')
    .limit(1000)
    .execute();
  const bases = new Map<string, string[]>();
  for (const r of rows) bases.set(r.text_id, [...(bases.get(r.text_id) ?? []), r.base]);
  return bases;
}

/** Change sets in these statuses, newest first: `limit` of them, after the first `offset`. */
export async function changeSets(store: Store, statuses: ReadonlyArray<ChangeSet['status']>, limit = 50, offset = 0) {
  return store.db
    .selectFrom('change_sets')
    .selectAll()
    .where('status', 'in', [...statuses])
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Moves a change set from one status to another if it is still in the first; false if it was not. */
export async function moveSet(store: Store, id: number, from: ChangeSet['status'], to: Partial<Omit<ChangeSet, 'changes' | 'approvals' | 'id'>>) {
  const result = await store.db
    .updateTable('change_sets')
    .set({ ...to, updated_at: now() })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records a reviewer's approval; returns how many distinct accounts have approved it. */
export async function approve(store: Store, id: number, reviewer: string) {
  await store.db
    .insertInto('approvals')
    .values({ change_set_id: id, reviewer, at: now() })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await store.db
    .selectFrom('approvals')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('change_set_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Sends a change set back to its author as a draft, with the reviewer's comment; its approvals are gone. */
export async function sendBack(store: Store, id: number, comment: string) {
  const moved = (await moveSet(store, id, 'submitted', { status: 'draft', comment })) || (await moveSet(store, id, 'approved', { status: 'draft', comment }));
  if (moved) await store.db.deleteFrom('approvals').where('change_set_id', '=', id).execute();
  return moved;
}

/** How long a publish may hold the lock before another may take it (a crashed copy's lock expires). */
const LOCK_MS = 120_000;

/** A lock past its time, or held by a process of this machine that is gone (a copy killed during a publish). */
function stale(lock: string) {
  const [until, host, pid] = lock.split(' ');
  if (Number(until) < Date.now()) return true;
  if (host !== hostname() || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Runs `work` holding the publish lock shared by every copy using this store (a row of
 * settings), or returns undefined at once if another publish holds it.
 */
export async function withPublishLock<T>(store: Store, work: () => Promise<T>): Promise<{ value: T } | undefined> {
  const token = `${Date.now() + LOCK_MS} ${hostname()} ${process.pid} ${randomBytes(8).toString('hex')}`;
  const held = await store.db.selectFrom('settings').select('value').where('name', '=', 'publish-lock').executeTakeFirst();
  if (held && stale(held.value)) {
    await store.db.deleteFrom('settings').where('name', '=', 'publish-lock').where('value', '=', held.value).execute();
  }
  const taken = await store.db
    .insertInto('settings')
    .values({ name: 'publish-lock', value: token })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  if (Number(taken.numInsertedOrUpdatedRows ?? 0n) !== 1) return undefined;
  try {
    return { value: await work() };
  } finally {
    await store.db.deleteFrom('settings').where('name', '=', 'publish-lock').where('value', '=', token).execute();
  }
}

/** A publish under way: recorded before its files are renamed, removed once it is published. */
export interface PublishIntent {
  set: number;
  by: string;
  author: string;
  summary: string;
  /** The files it writes (absolute), each waiting beside its name until renamed. */
  files: string[];
}

export async function getIntent(store: Store): Promise<PublishIntent | undefined> {
  const row = await store.db.selectFrom('settings').select('value').where('name', '=', 'publish-intent').executeTakeFirst();
  return row ? (JSON.parse(row.value) as PublishIntent) : undefined;
}

/** Records a publish's intent, or (undefined) removes it. */
export async function setIntent(store: Store, intent: PublishIntent | undefined) {
  await store.db.deleteFrom('settings').where('name', '=', 'publish-intent').execute();
  if (intent)
    await store.db
      .insertInto('settings')
      .values({ name: 'publish-intent', value: JSON.stringify(intent) })
      .execute();
}
