import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REMOVED, scrub } from '../../src/store/scrub.js';

/** One comment as a reader may write it: what must go from it and what must stay (test/fixtures/scrub-corpus.yaml). */
interface Entry {
  lang: 'fr' | 'ar' | 'prs' | 'ps' | 'en';
  text: string;
  must_go: string[];
  must_remain: string[];
  /** The way of writing it issue 28 (item 9) found stored as written. */
  finding?: string;
}

const LANGUAGES = ['fr', 'ar', 'prs', 'ps', 'en'] as const;
const corpus = parse(readFileSync(join(import.meta.dirname, '../fixtures/scrub-corpus.yaml'), 'utf8')) as Entry[];

/**
 * The text as a matcher sees it, written here apart from the scrubber's own: compatibility forms
 * folded (NFKC: fullwidth, superscript, circled), invisible characters dropped, every script's
 * digits as ASCII digits (a digit's value: its distance to the zero that starts its block of ten).
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const isDigit = (cp: number) => /\p{Nd}/u.test(String.fromCodePoint(cp));
const DINGBATS: [number, number, number][] = [
  [0x2776, 0x277f, 1], // ❶–❿
  [0x2780, 0x2789, 1], // ➀–➉
  [0x278a, 0x2793, 1], // ➊–➓
  [0x24eb, 0x24f4, 11], // ⓫–⓴
  [0x24f5, 0x24fe, 1], // ⓵–⓾
  [0x24ff, 0x24ff, 0], // ⓿
];
function plain(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFKC').replace(INVISIBLE, '')) {
    const cp = ch.codePointAt(0)!;
    const dingbat = DINGBATS.find(([from, to]) => cp >= from && cp <= to);
    if (dingbat) out += String(cp - dingbat[0] + dingbat[2]);
    else if (isDigit(cp)) {
      let value = 0;
      while (value < 9 && isDigit(cp - value - 1)) value++;
      out += String(value);
    } else out += ch;
  }
  return out;
}

describe('the scrubber corpus (test/fixtures/scrub-corpus.yaml)', () => {
  it('holds at least 200 comments, 35 or more in each of the five languages, each saying what must go or stay', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const lang of LANGUAGES) expect(corpus.filter((e) => e.lang === lang).length, lang).toBeGreaterThanOrEqual(35);
    for (const e of corpus) {
      expect(LANGUAGES, e.text).toContain(e.lang);
      expect(e.must_go.length + e.must_remain.length, e.text).toBeGreaterThan(0);
      for (const piece of [...e.must_go, ...e.must_remain]) expect(e.text, piece).toContain(piece);
    }
  });

  it.each(corpus.map((e) => [e.lang, e.text, e] as const))('%s: %s', (_lang, _text, e) => {
    const out = scrub(e.text);
    const seen = plain(out);
    for (const piece of e.must_go) {
      expect(out, `"${piece}" left in`).not.toContain(piece);
      expect(seen, `"${plain(piece)}" left in (as a matcher sees it)`).not.toContain(plain(piece));
    }
    for (const piece of e.must_remain) expect(out, `"${piece}" lost`).toContain(piece);
    // No run of 6 digits or more survives, in any script, whatever invisible characters split it.
    expect(seen).not.toMatch(/\d{6}/);
    // Nothing personal in it: the comment is kept exactly as written.
    if (e.must_go.length === 0) expect(out).toBe(e.text.normalize('NFC').trim());
    else expect(out).toContain(REMOVED);
  });
});

describe('scrub', () => {
  it('keeps the comment as written around what it removes: no NFKC on the text kept, Persian joiners intact', () => {
    // U+FEFB (a lam-alef presentation form) and the ZWNJ of «می‌شود» are what NFKC and a blunt
    // removal of format characters would change; only the number goes.
    expect(scrub('ﻻ يعمل، رقمي ٠٦\u200e١٢\u200e٣٤\u200e٥٦\u200e٧٨ شكرا')).toBe('ﻻ يعمل، رقمي […] شكرا');
    expect(scrub('صفحه باز نمی‌شود. شماره‌ام ۰۷۸\u200c۱۲۳\u200c۴۵۶۷ است')).toBe('صفحه باز نمی‌شود. شماره‌ام […] است');
    expect(scrub('Écrivez à jean.dupont @ example . com, merci')).toBe('Écrivez à […], merci');
    expect(scrub('passport 12AB34567, BK 12345 and IBAN FR76 3000 6000 0112 3456 7890 189 ok')).toBe('passport […], […] and IBAN […] ok');
  });

  it('gives one marker to pieces that touch, and none to text with nothing personal', () => {
    expect(scrub('jean@example.com0612345678')).toBe(REMOVED);
    expect(scrub('  Étape 3 : « Valider » ne répond pas.  ')).toBe('Étape 3 : « Valider » ne répond pas.');
    expect(scrub('')).toBe('');
  });

  it('is stable: scrubbing a scrubbed comment changes nothing', () => {
    for (const e of corpus) {
      const once = scrub(e.text);
      expect(scrub(once), e.text).toBe(once);
    }
  });

  it('stays fast on hostile comments of 500 characters', () => {
    const hostile = [
      '1 '.repeat(250),
      '1-'.repeat(250),
      '١،'.repeat(250),
      'a'.repeat(499) + '@',
      'a.'.repeat(250),
      'a @ '.repeat(125),
      'jean (at) '.repeat(50),
      'x@y . '.repeat(83),
      'FR76 '.repeat(100),
      'AB1 '.repeat(125),
      '1a'.repeat(250),
      'passeport '.repeat(50),
      '\u200b1'.repeat(250),
      '①'.repeat(500),
    ];
    for (const text of hostile) {
      const start = performance.now();
      const out = scrub(text);
      expect(performance.now() - start, text.slice(0, 20)).toBeLessThan(100);
      expect(plain(out)).not.toMatch(/\d{6}/);
    }
  });
});
