import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadContent } from '../../src/content/catalogue.js';
import { loadLanguages } from '../../src/languages.js';
import { ROOT } from '../helpers.js';

/** npm run content:stamp, as built, on a copy of the fixture content. */
const dir = mkdtempSync(join(tmpdir(), 'dalil-stamp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(ROOT, 'test/fixtures/content'), dir, { recursive: true });
const file = join(dir, 'guides/sample/translations.yaml');

function stamp(...args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [join(ROOT, 'dist/content-stamp.js'), 'sample', ...args, '--content', dir], (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run content:stamp', () => {
  it.each([
    [['en', '--status', 'reviewed'], /a review is recorded with the name of the person who made it/],
    [['en', '--status', 'reviewed', '--by', 'independent-editor'], /names a role, not a person/],
    [['en', '--status', 'reviewed', '--by', 'native editor'], /names a role, not a person/],
    [['en', '--status', 'translated', '--by', 'Amina Rahimi'], /--by is for a review/],
    [['en', '--status', 'unreviewed'], /status must be leaflet, translated or reviewed/],
    [['en'], /usage/],
  ])('refuses %j, naming why, and changes nothing', async (args, why) => {
    const before = readFileSync(file, 'utf8');
    const { code, stderr } = await stamp(...args);
    expect(code).toBe(1);
    expect(stderr).toMatch(why);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('records a review by a named person against today’s reference texts, the other entries and comments kept', async () => {
    const before = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const { code, stdout } = await stamp('en', '--status', 'reviewed', '--by', 'Amina Rahimi', '--date', '2026-12-01');
    expect(code).toBe(0);
    expect(stdout).toBe('sample: en recorded as reviewed by Amina Rahimi on 2026-12-01, against 9 fr texts.\n');
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# Fixture:')).toBe(true);
    const after = parse(text) as Record<string, { texts?: Record<string, string> }>;
    expect(after.fr).toEqual(before.fr);
    expect(after.prs).toEqual(before.prs);
    expect(after.en).toMatchObject({ status: 'reviewed', by: 'Amina Rahimi', date: '2026-12-01' });
    expect(Object.keys(after.en!.texts!)).toHaveLength(9);
    const g = loadContent(dir, loadLanguages(join(ROOT, 'locales')), dir).get('sample')!;
    expect(g.provenance.get('en')).toMatchObject({ status: 'reviewed', by: 'Amina Rahimi', changed: [] });
  });

  it('records a machine-assisted translation from two texts', async () => {
    expect((await stamp('prs', '--status', 'translated', '--from', 'fr,en', '--machine-assisted')).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('prs:\n  status: translated\n  from: [fr, en]\n  machine-assisted: true\n');
  });
});
