import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { addReport, markHandled } from '../../src/store/feedback.js';
import { ROOT } from '../helpers.js';
import { startServer } from '../server.js';
import { reportsIn } from '../stores.js';

const dir = mkdtempSync(join(tmpdir(), 'dalil-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DATABASE_URL = `file:${join(dir, 'dalil.sqlite')}`;

/** A command of the built project, with its exit code, output and errors. */
function run(script: string, args: string[], stdin?: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, 'dist', script), ...args],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}

describe('npm run editor', () => {
  it('adds an editor from a password on the standard input, lists and removes them', async () => {
    expect(await run('editor-cli.js', ['add', 'amina', '--password-stdin'], 'a long enough pass phrase\n')).toMatchObject({
      code: 0,
      stdout: 'Editor "amina" added (editor).\n',
    });
    expect((await run('editor-cli.js', ['list'])).stdout).toMatch(/^amina\teditor\t-\t\d{4}-\d\d-\d\dT/);
    const store = openStore({ kind: 'sqlite', path: DATABASE_URL.slice(5) }, ROOT);
    const [row] = await store.db.selectFrom('editors').select('password_hash').execute();
    expect(row!.password_hash).toMatch(/^scrypt\$/);
    expect(row!.password_hash).not.toContain('pass phrase');
    await store.close();
    expect(await run('editor-cli.js', ['remove', 'amina'])).toMatchObject({ code: 0 });
    expect(await run('editor-cli.js', ['remove', 'amina'])).toMatchObject({ code: 1, stderr: 'editor: no editor is named "amina"\n' });
  });

  it('gives an account a role and languages, changes them, and writes each change to the audit log', async () => {
    expect(
      await run('editor-cli.js', ['add', 'rafi', '--role', 'reviewer', '--languages', 'prs,ps', '--password-stdin'], 'a long enough pass phrase\n'),
    ).toMatchObject({ code: 0, stdout: 'Editor "rafi" added (reviewer).\n' });
    expect(await run('editor-cli.js', ['change', 'rafi', '--role', 'admin', '--languages', 'ar'])).toMatchObject({
      code: 0,
      stdout: 'Editor "rafi" is now admin.\n',
    });
    expect((await run('editor-cli.js', ['list'])).stdout).toMatch(/^rafi\tadmin\tar\t/m);
    expect(await run('editor-cli.js', ['change', 'rafi', '--role', 'owner'])).toMatchObject({
      code: 1,
      stderr: 'editor: a role is one of editor, reviewer, admin\n',
    });
    const unknown = await run('editor-cli.js', ['change', 'rafi', '--role', 'editor', '--languages', 'ar,xx']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^editor: unknown language\(s\) xx: the site has .*\bprs\b/);
    expect(await run('editor-cli.js', ['change', 'nobody', '--role', 'editor'])).toMatchObject({ code: 1, stderr: 'editor: no editor is named "nobody"\n' });
    const store = openStore({ kind: 'sqlite', path: DATABASE_URL.slice(5) }, ROOT);
    const log = await store.db.selectFrom('audit').select(['account', 'action', 'detail']).where('detail', 'like', 'rafi%').orderBy('id').execute();
    expect(log).toEqual([
      { account: 'command line', action: 'account-add', detail: 'rafi: reviewer prs,ps' },
      { account: 'command line', action: 'account-change', detail: 'rafi: admin ar' },
    ]);
    await store.close();
  });

  it('refuses a short password, and says how to use it', async () => {
    expect(await run('editor-cli.js', ['add', 'bob', '--password-stdin'], 'short\n')).toMatchObject({
      code: 1,
      stderr: 'editor: a password has at least 12 characters\n',
    });
    expect((await run('editor-cli.js', ['nonsense'])).stderr).toMatch(/usage: npm run editor -- add NAME/);
  });
});

describe('retention', () => {
  it('npm run db:prune, and the server at start, delete reports older than REPORT_RETENTION_DAYS, handled or left open', async () => {
    const store = openStore({ kind: 'sqlite', path: DATABASE_URL.slice(5) }, ROOT);
    await store.available();
    const long = new Date(Date.now() - 400 * 86_400_000);
    const recent = new Date(Date.now() - 40 * 86_400_000);
    for (const [comment, at] of [
      ['old handled', long],
      ['recent handled', recent],
      ['old open', long],
      ['recent open', recent],
    ] as const) {
      await addReport(
        store,
        {
          guide: 'cnops',
          step: comment.endsWith('open') ? 1 : comment === 'old handled' ? 2 : 3,
          tool: null,
          language: 'fr',
          kind: 'other',
          comment,
          release: 'r',
        },
        at,
      );
    }
    await markHandled(store, { guide: 'cnops', step: 2, tool: null, language: 'fr' }, 'amina', long);
    await markHandled(store, { guide: 'cnops', step: 3, tool: null, language: 'fr' }, 'amina', recent);
    expect(await run('db-prune.js', [])).toMatchObject({
      code: 0,
      stdout: 'Pruned 2 report(s) (handled, or open and sent) and 0 screen answer(s) older than 365 days.\n',
    });
    expect((await reportsIn(store)).map((r) => r.comment).sort()).toEqual(['recent handled', 'recent open']);
    // A shorter retention, applied by the server as it starts.
    const server = await startServer({ DATABASE_URL, REPORT_RETENTION_DAYS: '30', LOG_LEVEL: 'warn' });
    server.kill();
    expect(await reportsIn(store)).toEqual([]);
    await store.close();
  });
});

describe('the SQLite binding on this Node', () => {
  it('survives thousands of statements freed by the garbage collector, and the process exits cleanly (no abort at teardown)', async () => {
    // Node 24 aborts better-sqlite3 12 when a statement is freed outside JavaScript; the store loads 13 there.
    const script = `
      const { openStore } = await import(${JSON.stringify(join(ROOT, 'dist/store/db.js'))});
      const { sql } = await import('kysely');
      const store = openStore({ kind: 'sqlite', path: ${JSON.stringify(join(dir, 'gc.sqlite'))} }, '/');
      for (let i = 0; i < 3000; i++) await sql.raw('select ' + i + ' as n').execute(store.db);
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 300));
      globalThis.gc();
      await store.close();
      process.stdout.write('ok ' + process.version);`;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd: ROOT }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(result.stderr).not.toContain('Assertion failed');
    expect(result).toMatchObject({ code: 0, stdout: `ok ${process.version}` });
  });
});

describe('npm run xliff', () => {
  it('exports a guide’s texts and the interface’s strings; a translated file imported by an account is one change set for review; a refused file exits 1 with the reasons', async () => {
    const content = join(dir, 'content');
    cpSync(join(ROOT, 'content'), content, { recursive: true });
    const env = { CONTENT_DIR: content };
    const exported = await run('xliff-cli.js', ['export', 'cnops', 'ar'], undefined, env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2\.0" version="2\.0" srcLang="fr" trgLang="ar"><file id="cnops">/,
    );
    const ui = await run('xliff-cli.js', ['export', 'ui', 'ps'], undefined, env);
    expect(ui.stdout).toContain('srcLang="fr" trgLang="ps"><file id="ui">');
    // An interpolation of the interface's strings is one code a translation tool keeps whole.
    expect(ui.stdout).toMatch(/<ph id="1" equiv="\{\{[a-z]+\}\}" disp="\{\{[a-z]+\}\}" canDelete="no"\/>/);
    expect(await run('xliff-cli.js', ['export', 'cnops', 'fr'], undefined, env)).toMatchObject({
      code: 1,
      stderr: 'xliff: "fr" is not a translation of cnops: ar, en\n',
    });

    expect((await run('editor-cli.js', ['add', 'eda', '--languages', 'ar', '--password-stdin'], 'a long enough pass phrase\n')).code).toBe(0);
    const file = join(dir, 'cnops-ar.xlf');
    const unit = /<unit id="title">[\s\S]*?<target>([^<]*)<\/target>/.exec(exported.stdout)!;
    writeFileSync(file, exported.stdout.replace(unit[0], unit[0].replace(unit[1]!, 'تفعيل حسابك على بوابة CNOPS')));
    expect(await run('xliff-cli.js', ['import', file], undefined, env)).toMatchObject({ code: 1, stderr: expect.stringContaining('--by NAME') as unknown });
    const imported = await run('xliff-cli.js', ['import', file, '--by', 'eda'], undefined, env);
    expect(imported).toMatchObject({ code: 0, stdout: 'Change set #1: title; waiting for review under /editor/changes/1.\n' });
    const store = openStore({ kind: 'sqlite', path: DATABASE_URL.slice(5) }, ROOT);
    expect(await store.db.selectFrom('change_sets').select(['author', 'status']).execute()).toEqual([{ author: 'eda', status: 'submitted' }]);
    // The content files are not touched: the change waits for its review.
    expect(readFileSync(join(content, 'guides/cnops/ar.yaml'), 'utf8')).toBe(readFileSync(join(ROOT, 'content/guides/cnops/ar.yaml'), 'utf8'));

    const stripped = exported.stdout.replace(/(<unit id="(steps\.[a-z-]+)">(?:(?!<\/unit>)[\s\S])*?<target>)((?:(?!<\/target>)[\s\S])*?)<ph [^>]*\/>/, '$1$3');
    writeFileSync(file, stripped);
    const refused = await run('xliff-cli.js', ['import', file, '--by', 'eda'], undefined, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^xliff: the file was refused:\n {2}unit "steps\.[a-z-]+": inline codes of the source are missing from the target/);
    writeFileSync(file, exported.stdout.replace('?>', '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'));
    const xxe = await run('xliff-cli.js', ['import', file, '--by', 'eda'], undefined, env);
    expect(xxe.code).toBe(1);
    expect(xxe.stderr).toContain('XLIFF files have no DTD');
    expect(await store.db.selectFrom('change_sets').select('id').execute()).toHaveLength(1);
    await store.close();
  });
});
