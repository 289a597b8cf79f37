import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { realSite, ROOT } from '../helpers.js';
import { launchChromium, serveApp } from './chromium.js';

/**
 * Every letter a language's texts use is drawn by a real font of the page's own stack (system
 * fonts only: Debian's fonts-noto-core holds the faces Android phones ship), never as an empty box:
 * Chromium says which platform font drew each letter (CSS.getPlatformFontsForNode), and fontconfig
 * says whether that font has the letter.
 */
let browser: Browser;
let app: Awaited<ReturnType<typeof serveApp>>;
beforeAll(async () => {
  [browser, app] = await Promise.all([launchChromium(), serveApp()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

/** The letters, marks and digits of every text of a language: its guides and its UI strings. */
function lettersOf(id: string): string[] {
  const guides = join(ROOT, 'content/guides');
  const texts = readdirSync(guides).flatMap((slug) => {
    try {
      return strings(parse(readFileSync(join(guides, slug, `${id}.yaml`), 'utf8')));
    } catch {
      return [];
    }
  });
  texts.push(...strings(JSON.parse(readFileSync(join(ROOT, 'locales', id, 'common.json'), 'utf8'))));
  return [...new Set(texts.join('').match(/[\p{L}\p{M}\p{N}]/gu))].sort();
}

/** What fontconfig says each installed family covers: family → code point ranges. */
function coverage(): Map<string, Array<[number, number]>> {
  const families = new Map<string, Array<[number, number]>>();
  for (const line of execFileSync('fc-list', ['--format', '%{family[0]}|%{charset}\n'], { encoding: 'utf8' }).split('\n')) {
    const [family, charset] = line.split('|');
    if (!family || !charset) continue;
    const ranges = charset.split(' ').map((r): [number, number] => {
      const [a, b = a] = r.split('-').map((h) => parseInt(h, 16));
      return [a!, b!];
    });
    families.set(family.toLowerCase(), [...(families.get(family.toLowerCase()) ?? []), ...ranges]);
  }
  return families;
}

describe('every letter of every language is drawn by a system font that has it', async () => {
  const { registry } = await realSite();
  const fonts = coverage();

  it.each(registry.all.map((l) => [l.id, l] as const))('%s', async (id, language) => {
    const letters = lettersOf(id);
    // Pashto's own letters are among them: the test reads what the texts really use.
    if (id === 'ps') for (const c of 'ۍېږښډټړګڼ') expect(letters).toContain(c);
    const page = await browser.newPage({ serviceWorkers: 'block' });
    await page.goto(`${app.origin}/${id}/`);
    // Each letter alone in the page's main text, where the page's own font stack for the language applies.
    await page.evaluate(
      ({ letters, lang, dir }) => {
        const box = document.createElement('p');
        box.lang = lang;
        box.dir = dir;
        for (const c of letters) {
          const span = document.createElement('span');
          span.dataset.glyph = c;
          // A letter alone is drawn in its own form; a mark (a vowel sign, a hamza above) on a carrier.
          span.textContent = /\p{M}/u.test(c) ? (dir === 'rtl' ? '\u0640' : 'o') + c : c;
          box.append(span, ' ');
        }
        document.querySelector('main')!.append(box);
      },
      { letters, lang: language.lang, dir: language.dir },
    );
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-glyph]' });
    const undrawn: string[] = [];
    const used = new Set<string>();
    for (const [i, nodeId] of nodeIds.entries()) {
      const letter = letters[i]!;
      const { fonts: drawn } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      const code = letter.codePointAt(0)!;
      const has = (family: string) => (fonts.get(family.toLowerCase()) ?? []).some(([a, b]) => code >= a && code <= b);
      for (const f of drawn) {
        used.add(f.familyName);
        // No web font, ever.
        expect(f.isCustomFont, `${letter} in ${f.familyName}`).toBe(false);
      }
      // A letter alone: every font that drew the span has it; a mark on its carrier: one of them has it.
      const ok = /\p{M}/u.test(letter) ? drawn.some((f) => has(f.familyName)) : drawn.length > 0 && drawn.every((f) => has(f.familyName));
      if (!ok) undrawn.push(`${letter} (U+${code.toString(16).toUpperCase()}) in ${drawn.map((f) => f.familyName).join(', ') || 'no font'}`);
    }
    await page.close();
    expect(nodeIds).toHaveLength(letters.length);
    expect(undrawn).toEqual([]);
    // Arabic-script languages are drawn by a face made for the script, as the stylesheet asks.
    if (language.script === 'Arab')
      expect(
        [...used].some((f) => /Naskh Arabic|Sans Arabic/.test(f)),
        [...used].join(', '),
      ).toBe(true);
  });
});
