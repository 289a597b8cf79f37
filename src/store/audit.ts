import { byId } from './csv.js';
import type { Store } from './db.js';

/** Who made a change on the command line (npm run editor): nobody signed in. */
export const COMMAND_LINE = 'command line';

/** Audited actions: what the editors' area and the command line record. */
export type AuditAction =
  | 'sign-in'
  | 'sign-out'
  | 'handle'
  | 'export'
  | 'save'
  | 'submit'
  | 'approve'
  | 'reject'
  | 'publish'
  | 'revert'
  | 'account-add'
  | 'account-change'
  | 'account-remove';

/** Records an action in the audit log, to the second. */
export async function audit(store: Store, account: string, action: AuditAction, detail = '', now = new Date()) {
  await store.db
    .insertInto('audit')
    .values({ at: now.toISOString().slice(0, 19) + 'Z', account, action, detail: detail.slice(0, 500) })
    .execute();
}

export const AUDIT_PAGE = 50;

/** One page of the audit log, newest first, and how many entries there are in all. */
export async function auditPage(store: Store, page: number) {
  const [rows, total] = await Promise.all([
    store.db
      .selectFrom('audit')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(AUDIT_PAGE)
      .offset(page * AUDIT_PAGE)
      .execute(),
    store.db
      .selectFrom('audit')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** The whole audit log, oldest first, a thousand entries at a time, for its CSV. */
export const auditBatches = (store: Store) =>
  byId((after, batch) => store.db.selectFrom('audit').selectAll().where('id', '>', after).orderBy('id').limit(batch).execute());
