import type { Store } from './db.js';
import { scrub } from './scrub.js';

/** The hour an event came, rounded down: the only time a report keeps. */
export const hourOf = (now: Date) => `${now.toISOString().slice(0, 13)}:00:00Z`;

export interface NewReport {
  guide: string;
  step: number | null;
  tool: string | null;
  language: string;
  kind: string;
  comment: string;
  release: string;
}

/** Stores a report, its comment scrubbed, its time rounded to the hour. */
export async function addReport(store: Store, report: NewReport, now = new Date()) {
  await store.db
    .insertInto('reports')
    .values({ ...report, comment: scrub(report.comment), created_at: hourOf(now) })
    .execute();
}

export async function addScreenAnswer(
  store: Store,
  answer: { guide: string; step: number; screen: string; language: string; answer: 'yes' | 'no'; release: string },
  now = new Date(),
) {
  await store.db
    .insertInto('screen_answers')
    .values({ ...answer, created_at: hourOf(now) })
    .execute();
}

export interface OpenGroup {
  guide: string;
  step: number | null;
  tool: string | null;
  language: string;
  count: number;
  latest: Array<{ kind: string; comment: string; created_at: string }>;
}

/** Open reports by guide → step (or tool) → language, with counts and the latest comments. */
export async function openReports(store: Store, latestPerGroup = 3): Promise<OpenGroup[]> {
  const rows = await store.db
    .selectFrom('reports')
    .select(['guide', 'step', 'tool', 'language', 'kind', 'comment', 'created_at'])
    .where('handled_at', 'is', null)
    .orderBy('guide')
    .orderBy('step')
    .orderBy('tool')
    .orderBy('language')
    .orderBy('id', 'desc')
    .execute();
  const groups = new Map<string, OpenGroup>();
  for (const r of rows) {
    const key = `${r.guide}\0${r.step ?? ''}\0${r.tool ?? ''}\0${r.language}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { guide: r.guide, step: r.step, tool: r.tool, language: r.language, count: 0, latest: [] }));
    g.count += 1;
    if (g.latest.length < latestPerGroup) g.latest.push({ kind: r.kind, comment: r.comment, created_at: r.created_at });
  }
  return [...groups.values()];
}

/** For each screen picture, the "No" answers' share over the last `days` days. */
export async function screenShares(store: Store, now = new Date(), days = 30) {
  const since = hourOf(new Date(now.getTime() - days * 86_400_000));
  const rows = await store.db
    .selectFrom('screen_answers')
    .select(['guide', 'step', 'screen', 'answer', (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', since)
    .groupBy(['guide', 'step', 'screen', 'answer'])
    .orderBy('guide')
    .orderBy('step')
    .orderBy('screen')
    .execute();
  const shares = new Map<string, { guide: string; step: number; screen: string; yes: number; no: number }>();
  for (const r of rows) {
    const key = `${r.guide}\0${r.step}\0${r.screen}`;
    const s = shares.get(key) ?? { guide: r.guide, step: r.step, screen: r.screen, yes: 0, no: 0 };
    s[r.answer] += Number(r.n);
    shares.set(key, s);
  }
  return [...shares.values()].map((s) => ({ ...s, noShare: s.no / (s.yes + s.no) }));
}

/** Marks the open reports of one group handled, by whom and when; returns how many. */
export async function markHandled(
  store: Store,
  group: { guide: string; step: number | null; tool: string | null; language: string },
  editor: string,
  now = new Date(),
) {
  let q = store.db
    .updateTable('reports')
    .set({ handled_at: now.toISOString(), handled_by: editor })
    .where('handled_at', 'is', null)
    .where('guide', '=', group.guide)
    .where('language', '=', group.language);
  q = group.step === null ? q.where('step', 'is', null) : q.where('step', '=', group.step);
  q = group.tool === null ? q.where('tool', 'is', null) : q.where('tool', '=', group.tool);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Every report, oldest first, for the CSV export. */
export function allReports(store: Store) {
  return store.db.selectFrom('reports').selectAll().orderBy('id').execute();
}

/**
 * Retention: handled reports older than `days` days are deleted, and screen answers too; so are
 * the counters of past windows and expired sessions. Returns what was deleted.
 */
export async function prune(store: Store, days: number, now = new Date()) {
  const before = new Date(now.getTime() - days * 86_400_000).toISOString();
  const reports = await store.db.deleteFrom('reports').where('handled_at', 'is not', null).where('handled_at', '<', before).executeTakeFirst();
  const answers = await store.db.deleteFrom('screen_answers').where('created_at', '<', before).executeTakeFirst();
  await store.db
    .deleteFrom('throttle')
    .where('window', '<', new Date(now.getTime() - 86_400_000).toISOString())
    .execute();
  await store.db.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
  return { reports: Number(reports.numDeletedRows), screenAnswers: Number(answers.numDeletedRows) };
}
