import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realSite, ROOT } from '../helpers.js';
import { browserPages, browserShare, crawl, TEMPLATES } from '../pages.js';

/**
 * The browser gates check fewer pages than the crawl (one report form per language, not one per
 * step of every guide), never fewer kinds: every kind of page, every template, every language and
 * both directions of the crawl are in the browser pages, every guide and tool page in each of its
 * languages, and every guide and every language on the other renderings of a guide.
 */
describe('the browser pages cover the crawl', async () => {
  const all = await crawl();
  const checked = await browserPages();
  const { registry } = await realSite();
  const set = (pages: typeof all, key: (p: (typeof all)[number]) => string) => new Set(pages.map(key));

  it('every kind of page in every language it exists in, and so every template and both directions', () => {
    expect(set(checked, (p) => `${p.kind} ${p.language}`)).toEqual(set(all, (p) => `${p.kind} ${p.language}`));
    const dir = (p: (typeof all)[number]) => registry.get(p.language)?.dir ?? '';
    expect(set(checked, (p) => `${TEMPLATES[p.kind]} ${dir(p)}`)).toEqual(set(all, (p) => `${TEMPLATES[p.kind]} ${dir(p)}`));
    expect(set(checked, (p) => p.language)).toEqual(new Set(['', ...registry.all.map((l) => l.id)]));
  });

  it('every template a reader or an editor signing in can meet', () => {
    const templates = [...readdirSync(join(ROOT, 'views/pages')).map((f) => `pages/${f}`), 'editor/sign-in.njk'];
    expect(new Set(Object.values(TEMPLATES))).toEqual(new Set(templates));
    expect(set(checked, (p) => TEMPLATES[p.kind])).toEqual(new Set(templates));
  });

  it('every guide and tool page in each of its languages; every guide and every language on each other rendering of a guide', () => {
    const of = (pages: typeof all, kind: string, key: (p: (typeof all)[number]) => string) =>
      set(
        pages.filter((p) => p.kind === kind),
        key,
      );
    for (const kind of ['guide', 'tool', 'tool-answer']) {
      expect(of(checked, kind, (p) => `${p.subject} ${p.language}`)).toEqual(of(all, kind, (p) => `${p.subject} ${p.language}`));
    }
    for (const kind of ['handout', 'bilingual', 'present']) {
      expect(of(checked, kind, (p) => p.subject!)).toEqual(of(all, kind, (p) => p.subject!));
      expect(of(checked, kind, (p) => p.language)).toEqual(of(all, kind, (p) => p.language));
    }
  });

  it('the two shares of the gate are the browser pages, each once', async () => {
    const shares = [await browserShare(0, 2), await browserShare(1, 2)];
    expect([...shares[0]!, ...shares[1]!].sort()).toEqual(checked.map((p) => p.path).sort());
    expect(Math.abs(shares[0]!.length - shares[1]!.length)).toBeLessThanOrEqual(1);
    expect(checked.length).toBeLessThan(all.length);
  });
});
