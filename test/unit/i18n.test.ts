import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMESPACES } from '../../src/i18n.js';
import { loadLanguages } from '../../src/languages.js';
import { ROOT } from '../helpers.js';

const registry = loadLanguages(join(ROOT, 'locales'));

function leaves(tree: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof tree !== 'object' || tree === null) return [[prefix, tree]];
  return Object.entries(tree).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}
const strings = (id: string, ns: string) => new Map(leaves(JSON.parse(readFileSync(join(ROOT, 'locales', id, `${ns}.json`), 'utf8'))));

describe('UI strings', () => {
  it('every folder of locales/ is a language of the registry', () => {
    const folders = readdirSync(join(ROOT, 'locales'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.sort()).toEqual(registry.all.map((l) => l.id).sort());
  });

  describe.each(NAMESPACES.flatMap((ns) => registry.all.slice(1).map((l) => [ns, l.id] as const)))('%s.json in %s', (ns, id) => {
    const reference = strings(registry.all[0]!.id, ns);
    const mine = strings(id, ns);

    it(`has exactly the keys of ${registry.all[0]!.id}`, () => {
      expect([...mine.keys()].sort()).toEqual([...reference.keys()].sort());
    });

    it('has the same {{placeholders}} in each string', () => {
      const placeholders = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      for (const [key, value] of reference) expect(placeholders(mine.get(key)), key).toEqual(placeholders(value));
    });
  });

  describe.each(registry.all.map((l) => [l.id, l] as const))('%s', (_id, language) => {
    it('has only non-empty strings, in the language orthography', () => {
      for (const ns of NAMESPACES) {
        for (const [key, value] of strings(language.id, ns)) {
          expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
          for (const f of language.forbidden)
            expect(
              [...String(value)].filter((c) => f.char.includes(c)),
              `${key}: ${f.why}`,
            ).toEqual([]);
          if (language.script === 'Latn') expect(String(value), key).not.toMatch(/\p{Script=Arabic}/u);
          else expect(String(value), key).toMatch(/\p{Script=Arabic}/u);
        }
      }
    });
  });
});
