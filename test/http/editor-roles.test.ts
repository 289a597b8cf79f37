import type { Express } from 'express';
import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, addEditor, ROLES, type Role } from '../../src/store/editors.js';
import { addReport } from '../../src/store/feedback.js';
import { editorSession, testApp, testStore } from '../helpers.js';

let app: Express;
const PASSWORD = 'correct horse battery staple';
const store = () => testStore();

beforeAll(async () => {
  app = await testApp();
  expect(await store().available()).toBe(true);
  await addEditor(store(), 'eda', PASSWORD, { role: 'editor', languages: ['ar'] });
  await addEditor(store(), 'rafi', PASSWORD, { role: 'reviewer', languages: ['prs', 'ps'] });
  await addEditor(store(), 'ada', PASSWORD, { role: 'admin', languages: [] });
  await addEditor(store(), 'target', PASSWORD);
});

const NAMES: Record<Role, string> = { editor: 'eda', reviewer: 'rafi', admin: 'ada' };
/** One session per role for the matrix (a password check costs some 100 ms). */
const signedIn: Partial<Record<Role, ReturnType<typeof session>>> = {};

const session = (name: string, language = 'fr') => editorSession(app, name, PASSWORD, language);

const auditRows = () => store().db.selectFrom('audit').selectAll().orderBy('id').execute();

/**
 * Every action of the area, the request that does it, and what it changes in the store (read
 * before and after: a refused request must leave it as it was).
 */
const WRITES: Record<Role, string> = { editor: '/editor/guides/cnops/ar', reviewer: '/editor/guides/franceconnect/prs', admin: '/editor/guides/cnops/fr' };
const REQUESTS: Array<{ action: keyof typeof ACTIONS; what: string; send: (s: Awaited<ReturnType<typeof session>>, role: Role) => request.Test; ok: number }> =
  [
    { action: 'read', what: 'GET /editor/', send: (s) => s.get('/editor/'), ok: 200 },
    {
      action: 'handle',
      what: 'POST /editor/handle',
      send: (s) => s.post('/editor/handle', { guide: 'cnops', step: '4', tool: '', language: 'fr' }),
      ok: 303,
    },
    { action: 'export', what: 'GET /editor/reports.csv', send: (s) => s.get('/editor/reports.csv'), ok: 200 },
    {
      action: 'save',
      what: 'POST /editor/guides/… (a draft in a language of the account)',
      send: (s, role) => s.post(WRITES[role], { 'text.title': 'Un titre' }),
      ok: 303,
    },
    // A change set that does not exist: past the role's check, a 404.
    ...(['submit', 'revert', 'approve', 'reject', 'publish'] as const).map((action) => ({
      action,
      what: `POST /editor/changes/:id (${action})`,
      send: (s: Awaited<ReturnType<typeof session>>) => s.post('/editor/changes/999999', { do: action, summary: 's', comment: 'c' }),
      ok: 404,
    })),
    { action: 'accounts', what: 'GET /editor/accounts', send: (s) => s.get('/editor/accounts'), ok: 200 },
    {
      action: 'accounts',
      what: 'POST /editor/accounts (change a role)',
      send: (s) => s.post('/editor/accounts', { name: 'target', change: 'role', role: 'reviewer', languages: 'ar' }),
      ok: 303,
    },
    { action: 'audit', what: 'GET /editor/audit', send: (s) => s.get('/editor/audit'), ok: 200 },
    { action: 'audit', what: 'GET /editor/audit.csv', send: (s) => s.get('/editor/audit.csv'), ok: 200 },
  ];

/** Who may do what: written out here, not computed from the code under test. */
const MATRIX: Record<Role, Record<keyof typeof ACTIONS, boolean>> = {
  editor: {
    read: true,
    handle: true,
    export: true,
    save: true,
    submit: true,
    revert: true,
    approve: false,
    reject: false,
    publish: false,
    accounts: false,
    audit: false,
  },
  reviewer: {
    read: true,
    handle: true,
    export: true,
    save: true,
    submit: true,
    revert: true,
    approve: true,
    reject: true,
    publish: true,
    accounts: false,
    audit: false,
  },
  admin: {
    read: true,
    handle: true,
    export: true,
    save: true,
    submit: true,
    revert: true,
    approve: true,
    reject: true,
    publish: true,
    accounts: true,
    audit: true,
  },
};

describe('roles in the editors’ area', () => {
  it('the matrix and the requests cover every role and every action the server checks', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ROLES].sort());
    expect([...new Set(REQUESTS.map((r) => r.action))].sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  describe.each(ROLES)('as %s', (role) => {
    it.each(REQUESTS.map((r) => [r.what, r] as const))('%s: allowed or a 403 in the editor’s language that changes nothing', async (_what, r) => {
      await addReport(store(), { guide: 'cnops', step: 4, tool: null, language: 'fr', kind: 'other', comment: 'x', release: 'r1' });
      await store().db.updateTable('editors').set({ role: 'editor', languages: '' }).where('name', '=', 'target').execute();
      const s = await (signedIn[role] ??= session(NAMES[role], role === 'reviewer' ? 'en' : 'fr'));
      const before = {
        open: await store().db.selectFrom('reports').select('id').where('handled_at', 'is', null).execute(),
        target: await store().db.selectFrom('editors').select(['role', 'languages']).where('name', '=', 'target').executeTakeFirst(),
        audit: (await auditRows()).length,
      };
      const res = await r.send(s, role);
      if (MATRIX[role][r.action]) {
        expect(res.status).toBe(r.ok);
        return;
      }
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      if (role === 'reviewer') {
        expect(res.text).toContain('<html lang="en"');
        expect(res.text).toContain('Your role (reviewer) does not allow this. Nothing was changed');
      } else {
        expect(res.text).toContain('<html lang="fr"');
        expect(res.text).toContain('Votre rôle (éditeur) ne permet pas cette action. Rien n’a été modifié');
      }
      expect(await store().db.selectFrom('reports').select('id').where('handled_at', 'is', null).execute()).toEqual(before.open);
      expect(await store().db.selectFrom('editors').select(['role', 'languages']).where('name', '=', 'target').executeTakeFirst()).toEqual(before.target);
      expect((await auditRows()).length).toBe(before.audit);
    });
  });

  it('shows each account its name and role, and only the pages its role may open', async () => {
    const editor = await (await session('eda')).get('/editor/');
    expect(editor.text).toContain('Connecté·e en tant que eda (éditeur)');
    expect(editor.text).not.toContain('href="/editor/accounts"');
    expect(editor.text).not.toContain('href="/editor/audit"');
    const admin = await (await session('ada', 'en')).get('/editor/');
    expect(admin.text).toContain('Signed in as ada (administrator)');
    expect(admin.text).toMatch(/<a href="\/editor\/" aria-current="page">Reports from readers and help desks<\/a>/);
    expect(admin.text).toContain('<a href="/editor/accounts">Accounts</a>');
    expect(admin.text).toContain('<a href="/editor/audit">Audit log</a>');
  });
});

describe('accounts and the audit log (administrators)', () => {
  it('lists accounts with role and languages; changes a role and languages; removes an account; each change audited', async () => {
    await addEditor(store(), 'leaving', PASSWORD, { role: 'reviewer', languages: ['fr'] });
    const admin = await session('ada', 'en');
    const page = await admin.get('/editor/accounts');
    expect(page.text).toContain('<tr data-account="rafi" data-role="reviewer" data-languages="prs,ps">');
    expect(page.text).toContain('<tr data-account="eda" data-role="editor" data-languages="ar">');
    // One's own account is not changed here.
    expect(/<tr data-account="ada"[\s\S]*?<\/tr>/.exec(page.text)![0]).not.toContain('<form');

    const changed = await admin.post('/editor/accounts', { name: 'eda', change: 'role', role: 'reviewer', languages: 'ar, PRS' });
    expect(changed.status).toBe(303);
    expect(changed.headers.location).toBe('/editor/accounts?done=changed');
    expect(await store().db.selectFrom('editors').select(['role', 'languages']).where('name', '=', 'eda').executeTakeFirst()).toEqual({
      role: 'reviewer',
      languages: 'ar,prs',
    });
    expect((await admin.get('/editor/accounts?done=changed')).text).toContain('<p class="callout" role="status">The account was changed.</p>');
    // The new role holds from the next request of that editor's session.
    const eda = await session('eda');
    expect((await eda.get('/editor/')).text).toContain('(relecteur)');

    const removed = await admin.post('/editor/accounts', { name: 'leaving', change: 'remove' });
    expect(removed.status).toBe(303);
    expect(await store().db.selectFrom('editors').select('name').where('name', '=', 'leaving').executeTakeFirst()).toBeUndefined();

    const log = await auditRows();
    expect(log.slice(-3).map((a) => [a.account, a.action, a.detail])).toEqual([
      ['ada', 'account-change', 'eda: reviewer ar,prs'],
      ['eda', 'sign-in', ''],
      ['ada', 'account-remove', 'leaving'],
    ]);
    await store().db.updateTable('editors').set({ role: 'editor', languages: 'ar' }).where('name', '=', 'eda').execute();
  });

  it('refuses, with a 400 in the editor’s language and nothing changed: one’s own account, an unknown language, a role that does not exist', async () => {
    const admin = await session('ada', 'en');
    const self = await admin.post('/editor/accounts', { name: 'ada', change: 'remove' });
    expect(self.status).toBe(400);
    expect(self.text).toContain('You cannot change or remove your own account here');
    const language = await admin.post('/editor/accounts', { name: 'rafi', change: 'role', role: 'admin', languages: 'prs,xx' });
    expect(language.status).toBe(400);
    expect(language.text).toContain('(not known: xx)');
    const role = await admin.post('/editor/accounts', { name: 'rafi', change: 'role', role: 'owner', languages: '' });
    expect(role.status).toBe(400);
    expect(role.text).toContain('<html lang="en"');
    const nobody = await admin.post('/editor/accounts', { name: 'nobody', change: 'remove' });
    expect(nobody.status).toBe(404);
    expect(await store().db.selectFrom('editors').select(['role', 'languages']).where('name', '=', 'rafi').executeTakeFirst()).toEqual({
      role: 'reviewer',
      languages: 'prs,ps',
    });
    expect(await store().db.selectFrom('editors').select('name').where('name', '=', 'ada').executeTakeFirst()).toBeDefined();
  });

  it('the audit log: sign-ins, reports handled, exports, newest first, paged, and as CSV', async () => {
    const eda = await session('eda');
    await addReport(store(), { guide: 'aidants-connect', step: 2, tool: null, language: 'ar', kind: 'other', comment: 'x', release: 'r1' });
    expect((await eda.post('/editor/handle', { guide: 'aidants-connect', step: '2', tool: '', language: 'ar' })).status).toBe(303);
    expect((await eda.get('/editor/reports.csv')).status).toBe(200);
    const admin = await session('ada');
    const page = await admin.get('/editor/audit');
    expect(page.status).toBe(200);
    const rows = [
      ...page.text.matchAll(
        /<tr data-audit="([^"]+)"><td><time datetime="([^"]+)">[^<]+<\/time><\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><td dir="auto">([^<]*)<\/td><\/tr>/g,
      ),
    ];
    expect(rows.slice(0, 4).map((m) => [m[1], m[3], m[4], m[5]])).toEqual([
      ['sign-in', 'ada', 's’est connecté·e', ''],
      ['export', 'eda', 'a téléchargé', 'reports.csv'],
      ['handle', 'eda', 'a traité des signalements', 'aidants-connect step 2 ar: 1'],
      ['sign-in', 'eda', 's’est connecté·e', ''],
    ]);
    expect(rows[0]![2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // 50 entries a page.
    const total = (await auditRows()).length;
    for (let i = total; i < 60; i++)
      await store().db.insertInto('audit').values({ at: '2026-12-01T10:00:00Z', account: 'ada', action: 'sign-in', detail: '' }).execute();
    const first = await admin.get('/editor/audit');
    expect(first.text.match(/<tr data-audit=/g)).toHaveLength(50);
    expect(first.text).toContain('href="/editor/audit?page=2"');
    expect((await admin.get('/editor/audit?page=2')).text.match(/<tr data-audit=/g)!.length).toBeGreaterThanOrEqual(10);

    const csv = await admin
      .get('/editor/audit.csv')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
      });
    expect(csv.headers['content-disposition']).toBe('attachment; filename="dalil-audit.csv"');
    const lines = (csv.body as string).split('\r\n');
    expect(lines[0]).toBe('\ufeff"id","at","account","action","detail"');
    // Every entry, the export of this very file included (it is recorded before it is written).
    expect(lines).toHaveLength((await auditRows()).length + 2);
    expect(lines.at(-2)).toMatch(/"ada","export","audit.csv"$/);
  });
});
