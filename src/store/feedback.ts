import { sql } from 'kysely';
import { byId } from './csv.js';
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
  /** The "No" answer it follows (kept only if it is an answer to a screen of the same guide and step). */
  answer?: number | null;
}

/** Stores a report, its comment scrubbed, its time rounded to the hour, linked to the answer it follows. */
export async function addReport(store: Store, { answer, ...report }: NewReport, now = new Date()) {
  const follows =
    answer && report.step !== null
      ? await store.db
          .selectFrom('screen_answers')
          .select('id')
          .where('id', '=', answer)
          .where('guide', '=', report.guide)
          .where('step', '=', report.step)
          .where('answer', '=', 'no')
          .executeTakeFirst()
      : undefined;
  await store.db
    .insertInto('reports')
    .values({ ...report, comment: scrub(report.comment), created_at: hourOf(now), answer_id: follows?.id ?? null })
    .execute();
}

/** An answer to "does your screen look like this?"; `source` tells answers of one address and day from others (see schema.ts). */
export async function addScreenAnswer(
  store: Store,
  answer: { guide: string; step: number; screen: string; language: string; answer: 'yes' | 'no'; release: string; source?: string | null },
  now = new Date(),
) {
  const row = await store.db
    .insertInto('screen_answers')
    .values({ ...answer, source: answer.source ?? null, created_at: hourOf(now) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface OpenGroup {
  guide: string;
  step: number | null;
  tool: string | null;
  language: string;
  count: number;
  latest: Array<{ kind: string; comment: string; created_at: string }>;
}

/** Groups of open reports on a page of the dashboard. */
export const GROUPS_PER_PAGE = 50;

/**
 * Open reports by guide → step (or tool) → language, with counts and the latest comments: one page
 * of `GROUPS_PER_PAGE` groups, counted and chosen in the store (however many reports are open,
 * the dashboard reads no more than a page's groups and three comments each), and how many groups in all.
 */
export async function openReports(store: Store, page = 0, latestPerGroup = 3): Promise<{ groups: OpenGroup[]; total: number }> {
  const open = store.db.selectFrom('reports').where('handled_at', 'is', null);
  const [counted, rows] = await Promise.all([
    store.db
      .selectFrom(open.select('guide').groupBy(['guide', 'step', 'tool', 'language']).as('g'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    open
      .select(['guide', 'step', 'tool', 'language', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(['guide', 'step', 'tool', 'language'])
      .orderBy('guide')
      .orderBy('step')
      .orderBy('tool')
      .orderBy('language')
      .limit(GROUPS_PER_PAGE)
      .offset(page * GROUPS_PER_PAGE)
      .execute(),
  ]);
  const groups: OpenGroup[] = rows.map((r) => ({ guide: r.guide, step: r.step, tool: r.tool, language: r.language, count: Number(r.count), latest: [] }));
  if (groups.length) {
    // The latest comments of these groups only: each group's newest, by a window over the open reports of the page's guides.
    const latest = await sql<{ guide: string; step: number | null; tool: string | null; language: string; kind: string; comment: string; created_at: string }>`
      select guide, step, tool, language, kind, comment, created_at from (
        select guide, step, tool, language, kind, comment, created_at,
          row_number() over (partition by guide, step, tool, language order by id desc) as rank
        from reports
        where handled_at is null and guide in (${sql.join([...new Set(groups.map((g) => g.guide))])})
      ) ranked where rank <= ${latestPerGroup}`.execute(store.db);
    const key = (g: { guide: string; step: number | null; tool: string | null; language: string }) =>
      `${g.guide}\0${g.step ?? ''}\0${g.tool ?? ''}\0${g.language}`;
    const byKey = new Map(groups.map((g) => [key(g), g]));
    for (const r of latest.rows) byKey.get(key(r))?.latest.push({ kind: r.kind, comment: r.comment, created_at: r.created_at });
  }
  return { groups, total: Number(counted.n) };
}

/**
 * For each screen picture, the "No" answers' share over the last `days` days, with how many
 * sources gave the answers (an address on a day; answers stored before sources were kept count
 * as one each): a flood from one place shows as many answers from few sources.
 */
export async function screenShares(store: Store, now = new Date(), days = 30) {
  const since = hourOf(new Date(now.getTime() - days * 86_400_000));
  const rows = await store.db
    .selectFrom('screen_answers')
    .select([
      'guide',
      'step',
      'screen',
      (eb) => eb.fn.countAll<number>().as('answers'),
      (eb) => eb.fn.sum<number>(eb.case().when('answer', '=', 'no').then(1).else(0).end()).as('no'),
      (eb) => eb.fn.count<number>('source').distinct().as('sources'),
      (eb) => eb.fn.sum<number>(eb.case().when('source', 'is', null).then(1).else(0).end()).as('unsourced'),
    ])
    .where('created_at', '>=', since)
    .groupBy(['guide', 'step', 'screen'])
    .orderBy('guide')
    .orderBy('step')
    .orderBy('screen')
    .execute();
  return rows.map((r) => {
    const answers = Number(r.answers);
    const no = Number(r.no);
    return { guide: r.guide, step: r.step, screen: r.screen, yes: answers - no, no, noShare: no / answers, sources: Number(r.sources) + Number(r.unsourced) };
  });
}

/** A guide's screens answered in one language over the last `days` days, by step: "Yes", "No", and how many sources answered. */
export async function stepScreens(store: Store, guide: string, language: string, now = new Date(), days = 30) {
  const since = hourOf(new Date(now.getTime() - days * 86_400_000));
  const rows = await store.db
    .selectFrom('screen_answers')
    .select([
      'step',
      (eb) => eb.fn.countAll<number | string>().as('answers'),
      (eb) => eb.fn.sum<number | string>(eb.case().when('answer', '=', 'no').then(1).else(0).end()).as('no'),
      (eb) => eb.fn.count<number | string>('source').distinct().as('sources'),
      (eb) => eb.fn.sum<number | string>(eb.case().when('source', 'is', null).then(1).else(0).end()).as('unsourced'),
    ])
    .where('guide', '=', guide)
    .where('language', '=', language)
    .where('created_at', '>=', since)
    .groupBy('step')
    .execute();
  return new Map(rows.map((r) => [r.step, { yes: Number(r.answers) - Number(r.no), no: Number(r.no), sources: Number(r.sources) + Number(r.unsourced) }]));
}

/** Per guide and language ("guide/language"): open reports, and screens answered "No" over the last `days` days. */
export async function guideCounts(store: Store, now = new Date(), days = 30) {
  const since = hourOf(new Date(now.getTime() - days * 86_400_000));
  const [open, no] = await Promise.all([
    store.db
      .selectFrom('reports')
      .select(['guide', 'language', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('handled_at', 'is', null)
      .groupBy(['guide', 'language'])
      .execute(),
    store.db
      .selectFrom('screen_answers')
      .select(['guide', 'language', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('answer', '=', 'no')
      .where('created_at', '>=', since)
      .groupBy(['guide', 'language'])
      .execute(),
  ]);
  const byKey = (rows: Array<{ guide: string; language: string; n: number | string }>) => new Map(rows.map((r) => [`${r.guide}/${r.language}`, Number(r.n)]));
  return { open: byKey(open), no: byKey(no) };
}

/** The open reports of a guide's steps in one language, by step: how many, and the latest three. */
export async function stepReports(store: Store, guide: string, language: string) {
  const open = store.db
    .selectFrom('reports')
    .where('handled_at', 'is', null)
    .where('guide', '=', guide)
    .where('language', '=', language)
    .where('step', 'is not', null);
  const [counts, latest] = await Promise.all([
    open
      .select(['step', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('step')
      .execute(),
    open.select(['step', 'kind', 'comment', 'created_at']).orderBy('id', 'desc').limit(300).execute(),
  ]);
  const byStep = new Map(counts.map((c) => [c.step!, { count: Number(c.n), latest: [] as Array<{ kind: string; comment: string; created_at: string }> }]));
  for (const r of latest) {
    const step = byStep.get(r.step!);
    if (step && step.latest.length < 3) step.latest.push(r);
  }
  return byStep;
}

/** How many reports are open on these steps (each in one language). */
export async function openOnSteps(store: Store, steps: ReadonlyArray<{ guide: string; step: number; language: string }>) {
  let open = 0;
  // A hundred steps a query: SQLite bounds how deep a query's expression may nest.
  for (let i = 0; i < steps.length; i += 100) {
    const row = await store.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('handled_at', 'is', null)
      .where('tool', 'is', null)
      .where((eb) => eb.or(steps.slice(i, i + 100).map((s) => eb.and({ guide: s.guide, step: s.step, language: s.language }))))
      .executeTakeFirstOrThrow();
    open += Number(row.n);
  }
  return open;
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

/**
 * Every report, oldest first, for the CSV export, in batches of a thousand (by id): however many there
 * are, the export holds one batch in memory.
 */
export const allReports = (store: Store) =>
  byId((after, batch) => store.db.selectFrom('reports').selectAll().where('id', '>', after).orderBy('id').limit(batch).execute());

/**
 * Retention: reports older than `days` days are deleted, handled ones (handled that long ago) and
 * open ones (sent that long ago: nobody will handle them now), and screen answers too; so are the
 * counters of past windows and expired sessions. Returns what was deleted.
 */
export async function prune(store: Store, days: number, now = new Date()) {
  const before = new Date(now.getTime() - days * 86_400_000).toISOString();
  const reports = await store.db
    .deleteFrom('reports')
    .where((eb) =>
      eb.or([eb.and([eb('handled_at', 'is not', null), eb('handled_at', '<', before)]), eb.and([eb('handled_at', 'is', null), eb('created_at', '<', before)])]),
    )
    .executeTakeFirst();
  const answers = await store.db.deleteFrom('screen_answers').where('created_at', '<', before).executeTakeFirst();
  await store.db
    .deleteFrom('throttle')
    .where('window', '<', new Date(now.getTime() - 86_400_000).toISOString())
    .execute();
  await store.db.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
  return { reports: Number(reports.numDeletedRows), screenAnswers: Number(answers.numDeletedRows) };
}
