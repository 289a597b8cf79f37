import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counted } from '../../src/http/forms.js';
import { audit, auditBatches, auditPage } from '../../src/store/audit.js';
import { openStore, type Store } from '../../src/store/db.js';
import {
  addEditor,
  authenticate,
  changeEditor,
  createSession,
  endSession,
  listEditors,
  type Role,
  removeEditor,
  sessionEditor,
} from '../../src/store/editors.js';
import { addReport, addScreenAnswer, markHandled, openOnSteps, openReports, prune, screenShares, stepScreens } from '../../src/store/feedback.js';
import { migrations } from '../../src/store/migrations.js';
import { addressSalt, memoryThrottle, storeThrottle } from '../../src/store/throttle.js';
import { ROOT } from '../helpers.js';
import { databases, postgresReachable, reportsIn, type TestDatabase } from '../stores.js';

const pgUp = await postgresReachable();

describe.each([
  ['sqlite', true],
  ['postgres', pgUp],
] as const)('the feedback store on %s', (kind, available) => {
  let test: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    if (!available) return;
    test = await databases[kind]();
    store = openStore(test.database, ROOT);
    expect(await store.available()).toBe(true);
  });
  afterAll(async () => {
    await store?.close();
    await test?.drop();
  });

  it.runIf(available)('applies its migrations once, and again is a no-op', async () => {
    const again = openStore(test.database, ROOT);
    expect(await again.available()).toBe(true);
    await again.close();
    const tables = await store.db
      .selectFrom('kysely_migration' as never)
      .selectAll()
      .execute();
    expect(tables).toHaveLength(Object.keys(migrations(test.database.kind)).length);
  });

  it.runIf(available)('migrates once when several copies start at once, each in its own process', async () => {
    const fresh = await databases[kind]();
    const script = `import('${join(ROOT, 'dist/store/db.js')}').then(async ({ openStore }) => { const s = openStore(${JSON.stringify(fresh.database)}, '/', (e) => process.stderr.write(String(e))); const ok = await s.available(); await s.close(); process.stdout.write(String(ok)); })`;
    const run = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    const results = await Promise.all([run(), run(), run()]);
    expect(results.map((r) => r.stdout + r.stderr)).toEqual(['true', 'true', 'true']);
    const check = openStore(fresh.database, ROOT);
    expect(await check.available()).toBe(true);
    expect(
      await check.db
        .selectFrom('kysely_migration' as never)
        .selectAll()
        .execute(),
    ).toHaveLength(Object.keys(migrations(fresh.database.kind)).length);
    await check.close();
    await fresh.drop();
  });

  it.runIf(available)('keeps a report scrubbed, with the hour it came and nothing else about the reader', async () => {
    await addReport(
      store,
      {
        guide: 'cnops',
        step: 4,
        tool: null,
        language: 'ar',
        kind: 'screen-different',
        comment: 'اكتب لي على amina.b@mail.fr أو 06 12 34 56 78، رقمي 1 60 04 25 311 114 26',
        release: 'r1',
      },
      new Date('2026-12-01T10:47:13Z'),
    );
    const [row] = await reportsIn(store);
    expect(row).toMatchObject({ guide: 'cnops', step: 4, language: 'ar', kind: 'screen-different', created_at: '2026-12-01T10:00:00Z', handled_at: null });
    expect(row!.comment).toBe('اكتب لي على […] أو […]، رقمي […]');
  });

  it.runIf(available)('groups open reports by guide, step and language, and marks a group handled by whom', async () => {
    const when = new Date('2026-12-02T09:00:00Z');
    for (const comment of ['a', 'b', 'c', 'd'])
      await addReport(store, { guide: 'franceconnect', step: 2, tool: null, language: 'prs', kind: 'step-wrong', comment, release: 'r1' }, when);
    await addReport(store, { guide: 'franceconnect', step: null, tool: 'orientation', language: 'fr', kind: 'other', comment: 'tool', release: 'r1' }, when);
    const { groups, total } = await openReports(store);
    expect(total).toBe(groups.length);
    const fc = groups.find((g) => g.guide === 'franceconnect' && g.step === 2)!;
    expect(fc.count).toBe(4);
    expect(fc.latest.map((l) => l.comment)).toEqual(['d', 'c', 'b']);
    expect(groups.find((g) => g.tool === 'orientation')!.count).toBe(1);
    // Open on steps, each in its language: the tool's report and another language's are not counted.
    const step2 = { guide: 'franceconnect', step: 2 };
    expect(await openOnSteps(store, [{ ...step2, language: 'prs' }])).toBe(4);
    expect(
      await openOnSteps(store, [
        { ...step2, language: 'fr' },
        { ...step2, language: 'prs' },
      ]),
    ).toBe(4);
    expect(await openOnSteps(store, [{ ...step2, language: 'fr' }])).toBe(0);
    expect(await openOnSteps(store, [])).toBe(0);
    // However many steps a change set rewrites (here 2,500, in several queries).
    const many = Array.from({ length: 2500 }, (_, n) => ({ guide: 'other', step: n + 1, language: 'fr' }));
    expect(await openOnSteps(store, [...many, { ...step2, language: 'prs' }])).toBe(4);
    expect(await markHandled(store, { guide: 'franceconnect', step: 2, tool: null, language: 'prs' }, 'amina', when)).toBe(4);
    expect(await openOnSteps(store, [{ ...step2, language: 'prs' }])).toBe(0);
    expect((await openReports(store)).groups.find((g) => g.guide === 'franceconnect' && g.step === 2)).toBeUndefined();
    const handled = (await reportsIn(store)).filter((r) => r.handled_by === 'amina');
    expect(handled).toHaveLength(4);
  });

  it.runIf(available)('gives each screen picture its share of "No" over the last 30 days', async () => {
    const now = new Date('2026-12-10T12:00:00Z');
    const answer = (a: 'yes' | 'no', at: Date) =>
      addScreenAnswer(store, { guide: 'cnops', step: 3, screen: 'identification', language: 'fr', answer: a, release: 'r1' }, at);
    for (const a of ['no', 'no', 'yes', 'no'] as const) await answer(a, now);
    await answer('yes', new Date('2026-10-01T00:00:00Z')); // older than 30 days: not counted
    const [share] = (await screenShares(store, now)).filter((s) => s.screen === 'identification');
    expect(share).toMatchObject({ yes: 1, no: 3, noShare: 0.75 });
    // By step, in one language (answers without a source count as one source each).
    expect((await stepScreens(store, 'cnops', 'fr', now)).get(3)).toEqual({ yes: 1, no: 3, sources: 4 });
    expect((await stepScreens(store, 'cnops', 'ar', now)).get(3)).toBeUndefined();
  });

  it.runIf(available)('deletes reports older than the retention period, handled ones and open ones, and keeps the others', async () => {
    await addReport(
      store,
      { guide: 'cnops', step: 1, tool: null, language: 'fr', kind: 'other', comment: 'old open', release: 'r0' },
      new Date('2025-01-01T00:00:00Z'),
    );
    await markHandled(store, { guide: 'cnops', step: 4, tool: null, language: 'ar' }, 'amina', new Date('2025-06-01T00:00:00Z'));
    await addReport(
      store,
      { guide: 'cnops', step: 1, tool: null, language: 'fr', kind: 'other', comment: 'recent open', release: 'r0' },
      new Date('2026-12-01T00:00:00Z'),
    );
    const pruned = await prune(store, 365, new Date('2026-12-31T00:00:00Z'));
    expect(pruned.reports).toBe(2);
    const left = await reportsIn(store);
    expect(left.find((r) => r.comment === 'old open')).toBeUndefined();
    expect(left.find((r) => r.comment === 'recent open')).toBeDefined();
    expect(left.find((r) => r.guide === 'cnops' && r.step === 4)).toBeUndefined();
  });

  it.runIf(available)('counts reports per address in the store, shared between copies, never keeping the address', async () => {
    const other = openStore(test.database, ROOT);
    await other.available();
    const salt = await addressSalt(store);
    let now = Date.parse('2026-12-01T10:00:59.000Z');
    const a = storeThrottle(store, salt, () => now);
    const b = storeThrottle(other, salt, () => now);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await (i % 2 ? a : b).hit('203.0.113.9', 5, 60_000));
    // The sixth, a second later in the next minute: the five before still count (the window slides).
    now += 1000;
    results.push(await a.hit('203.0.113.9', 5, 60_000));
    expect(results).toEqual([true, true, true, true, true, false]);
    // Half a minute on, half of the earlier minute still counts.
    now += 30_000;
    expect(await b.count('203.0.113.9', 60_000)).toBeCloseTo(1 + 5 * 0.5);
    // Two minutes later, the address starts afresh.
    now += 120_000;
    expect(await a.count('203.0.113.9', 60_000)).toBe(0);
    const keys = await store.db.selectFrom('throttle').select('key').execute();
    expect(keys.map((k) => k.key).join(' ')).not.toContain('203.0.113');
    await other.close();
  });

  it.runIf(available)('keeps editors with scrypt hashes, and sessions that end', async () => {
    await addEditor(store, 'amina', 'a long pass phrase 1');
    await expect(addEditor(store, 'amina', 'another long phrase')).rejects.toThrow();
    await expect(addEditor(store, 'bob', 'short')).rejects.toThrow(/12 characters/);
    const [row] = await store.db.selectFrom('editors').select('password_hash').execute();
    expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await authenticate(store, 'amina', 'wrong password here')).toBeUndefined();
    expect(await authenticate(store, 'nobody', 'a long pass phrase 1')).toBeUndefined();
    const editor = (await authenticate(store, 'amina', 'a long pass phrase 1'))!;
    const now = new Date('2026-12-01T08:00:00Z');
    const { token, csrf } = await createSession(store, editor.id, now);
    expect(await sessionEditor(store, token, now)).toEqual({ id: editor.id, name: 'amina', role: 'editor', languages: '', csrf });
    expect(await sessionEditor(store, token, new Date('2026-12-01T17:00:00Z'))).toBeUndefined();
    expect(await sessionEditor(store, `${token}x`, now)).toBeUndefined();
    await endSession(store, token);
    expect(await sessionEditor(store, token, now)).toBeUndefined();
    expect(await changeEditor(store, 'amina', { role: 'reviewer', languages: ['ar', 'prs'] })).toBe(true);
    expect(await changeEditor(store, 'nobody', { role: 'reviewer', languages: [] })).toBe(false);
    await expect(changeEditor(store, 'amina', { role: 'owner' as Role, languages: [] })).rejects.toThrow(/a role is one of/);
    expect((await listEditors(store)).map((e) => [e.name, e.role, e.languages])).toEqual([['amina', 'reviewer', ['ar', 'prs']]]);
    expect(await removeEditor(store, 'amina')).toBe(true);
    expect(await listEditors(store)).toEqual([]);
  });

  it.runIf(available)('keeps an audit log, newest first by page, every entry in batches', async () => {
    const at = (i: number) => new Date(Date.UTC(2026, 11, 1, 8, 0, i));
    await store.db
      .insertInto('audit')
      .values(Array.from({ length: 1200 }, (_, i) => ({ at: at(i + 1).toISOString(), account: 'amina', action: 'handle', detail: `entry ${i + 1}` })))
      .execute();
    for (let i = 1201; i <= 1205; i++) await audit(store, 'amina', 'handle', `entry ${i}`, at(i));
    const first = await auditPage(store, 0);
    expect(first.total).toBe(1205);
    expect(first.rows.map((r) => r.detail).slice(0, 2)).toEqual(['entry 1205', 'entry 1204']);
    expect(first.rows[0]!.at).toBe('2026-12-01T08:20:05Z');
    expect((await auditPage(store, 24)).rows.map((r) => r.detail)).toEqual(['entry 5', 'entry 4', 'entry 3', 'entry 2', 'entry 1']);
    const sizes: number[] = [];
    const details: string[] = [];
    for await (const batch of auditBatches(store)) {
      sizes.push(batch.length);
      details.push(...batch.map((r) => r.detail));
    }
    expect(sizes).toEqual([1000, 205]);
    expect(details).toEqual(Array.from({ length: 1205 }, (_, i) => `entry ${i + 1}`));
  });
});

describe('the in-memory report counter', () => {
  it('slides: five attempts at the end of a window still count a second into the next, and fade over it', async () => {
    let now = Date.parse('2026-12-01T10:14:59.500Z');
    const throttle = memoryThrottle('salt', 1000, () => now);
    for (let i = 0; i < 5; i++) expect(await throttle.hit('account', 5, 15 * 60_000)).toBe(true);
    now += 1000;
    expect(await throttle.count('account', 15 * 60_000)).toBeGreaterThan(4.99);
    expect(await throttle.hit('account', 5, 15 * 60_000)).toBe(false);
    now += 15 * 60_000;
    expect(await throttle.count('account', 15 * 60_000)).toBeLessThan(1);
    now += 15 * 60_000;
    expect(await throttle.count('account', 15 * 60_000)).toBe(0);
  });

  it('stays within its bound of keys, whatever the number of addresses', async () => {
    const throttle = memoryThrottle('salt', 1000);
    for (let i = 0; i < 5000; i++) await throttle.hit(`198.51.${i >> 8}.${i & 255}`, 5, 60_000);
    expect(throttle.size()).toBeLessThanOrEqual(1000);
    expect(await throttle.hit('198.51.100.7', 2, 60_000)).toBe(true);
    expect(await throttle.hit('198.51.100.7', 2, 60_000)).toBe(true);
    expect(await throttle.hit('198.51.100.7', 2, 60_000)).toBe(false);
  });

  it('a flood of new keys evicts the counters least used lately, one by one, never one over its limit', async () => {
    const throttle = memoryThrottle('salt', 50_000);
    // A locked account (over its limit of 5), and an address that sent too much.
    for (let i = 0; i < 6; i++) await throttle.hit('sign-in:account:amina', 5, 15 * 60_000);
    for (let i = 0; i < 4; i++) await throttle.hit('203.0.113.9', 3, 60_000);
    // 50,200 answers from distinct addresses: the table fills, and the oldest harmless counters go.
    for (let i = 0; i < 50_200; i++) await throttle.hit(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 5, 60_000);
    expect(throttle.size()).toBe(50_000);
    expect(await throttle.hit('sign-in:account:amina', 5, 15 * 60_000)).toBe(false);
    expect(await throttle.hit('203.0.113.9', 3, 60_000)).toBe(false);
    // The ones gone are the first of the flood, not the last.
    expect(await throttle.count('10.0.0.0', 60_000)).toBe(0);
    expect(await throttle.count('10.0.196.23', 60_000)).toBeGreaterThan(0);
    expect(await throttle.count('10.0.0.201', 60_000)).toBe(0);
    expect(await throttle.count('10.0.0.202', 60_000)).toBeGreaterThan(0);
  });

  it('refuses a new key when every counter is over its limit', async () => {
    const throttle = memoryThrottle('salt', 3);
    for (const k of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) await throttle.hit(k, 1, 60_000);
    expect(await throttle.hit('d', 1, 60_000)).toBe(false);
    expect(throttle.size()).toBe(3);
  });
});

describe('whom a request is counted against', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8:85a3:1:2:3:4:5', '2001:db8:85a3:1::/64'],
    ['2001:db8:85a3:1:ffff:ffff:ffff:ffff', '2001:db8:85a3:1::/64'],
    ['2001:0db8:0000:0001::1', '2001:db8:0:1::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(counted(address)).toBe(key);
  });
});
