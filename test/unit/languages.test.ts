import { describe, expect, it } from 'vitest';
import { orthographyProblems } from '../../src/content/rules.js';
import { loadLanguages, parseAcceptLanguage } from '../../src/languages.js';
import { ROOT } from '../helpers.js';

const registry = loadLanguages(`${ROOT}/locales`);

describe('language registry', () => {
  it('has fr, ar, prs (fa-AF), ps and en with their direction and native name', () => {
    expect(registry.all.map((l) => [l.id, l.lang, l.dir, l.name])).toEqual([
      ['fr', 'fr', 'ltr', 'Français'],
      ['ar', 'ar', 'rtl', 'العربية'],
      ['prs', 'fa-AF', 'rtl', 'دری'],
      ['ps', 'ps', 'rtl', 'پښتو'],
      ['en', 'en', 'ltr', 'English'],
    ]);
  });

  it.each([
    [undefined, 'fr'],
    ['', 'fr'],
    ['en-GB,en;q=0.9', 'en'],
    ['ar-MA,ar;q=0.9,fr;q=0.8', 'ar'],
    ['fa-AF', 'prs'],
    ['prs', 'prs'],
    ['ps-AF,ps;q=0.9,fa;q=0.5', 'ps'],
    ['ps', 'ps'],
    ['fa-IR;q=0.9, de', 'prs'],
    ['de-DE,de;q=0.9,en;q=0.5', 'en'],
    ['fr;q=0.2, ar;q=0.8', 'ar'],
    ['en;q=0, fr;q=0.1', 'fr'],
    ['*', 'fr'],
    ['zz-ZZ, xx', 'fr'],
    ['en;q=abc, ar', 'en'],
    [`${'x'.repeat(5000)},ar`, 'fr'],
    ['<script>,ar', 'ar'],
  ])('Accept-Language %j gives %s', (header, id) => {
    expect(registry.negotiate(header).id).toBe(id);
  });

  it('reads at most 32 ranges of a header', () => {
    const header = [
      ...Array.from({ length: 40 }, (_, i) => `x${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`),
      'ar',
    ].join(',');
    expect(parseAcceptLanguage(header)).toHaveLength(32);
    expect(registry.negotiate(header).id).toBe('fr');
  });
});

describe('Pashto orthography (languages.json)', () => {
  const ps = registry.get('ps')!;
  it('accepts Afghan Pashto letters and Western digits', () => {
    expect(orthographyProblems('د ټولنیز تأمین شمېره ګام په ګام ولیکئ: ښځه، ځای، څه، ډېر، ړوند، ږغ، ګوره، ښار، کڼ، لوۍ — 3 ورځې', ps)).toEqual([]);
  });
  it.each([
    ['ك', 'Arabic kaf', 'ک'],
    ['ھ', 'heh doachashmee', 'ه'],
    ['گ', 'Persian gaf', 'ګ'],
    ['ى', 'alef maksura', 'ی, ې or ۍ'],
    ['ة', 'teh marbuta', 'ه or ت'],
    ['٣', 'Arabic-Indic digit', '0-9'],
    ['۳', 'Persian digit', '0-9'],
  ])('rejects %s (%s), saying to write %s', (ch, why, use) => {
    const [problem] = orthographyProblems(`دا یو ${ch} دی`, ps);
    expect(problem).toContain(`"${ch}"`);
    expect(problem).toContain(why);
    expect(problem).toMatch(new RegExp(`is not پښتو orthography: write ${use}$`));
  });
});
