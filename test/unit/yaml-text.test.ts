import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isScalar, parseDocument } from 'yaml';
import { flattenTexts } from '../../src/content/read.js';
import { replaceText, setFact, setGuideField, setText } from '../../src/editing/yaml-text.js';
import { ROOT } from '../helpers.js';

const guides = join(ROOT, 'content', 'guides');
const files = readdirSync(guides).flatMap((g) =>
  readdirSync(join(guides, g))
    .filter((f) => /^[a-z]{2,3}\.yaml$/.test(f))
    .map((f) => join('content', 'guides', g, f)),
);

/** Every text of a file, by its path, with the lines its node spans. */
function texts(source: string) {
  const doc = parseDocument(source);
  const out: Array<{ path: string[]; value: string; first: number; last: number }> = [];
  const line = (offset: number) => source.slice(0, offset).split('\n').length - 1;
  const walk = (value: unknown, path: string[]) => {
    for (const [k, v] of Object.entries(value as object)) {
      if (typeof v === 'string') {
        const node = doc.getIn([...path, k], true);
        if (!isScalar(node) || !node.range) throw new Error('no node');
        out.push({ path: [...path, k], value: v, first: line(node.range[0]), last: line(Math.max(node.range[0], node.range[1] - 1)) });
      } else walk(v, [...path, k]);
    }
  };
  walk(doc.toJS(), []);
  return out;
}

describe('replacing one text of a content file', () => {
  it.each(files)('%s: each text, changed, changes only its own lines; the file reads back with the new text', (file) => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const lines = source.split('\n');
    // Every text changed; every fifth also to a text YAML must quote, and to one that cannot be folded.
    for (const [n, t] of texts(source).entries()) {
      const values = n % 5 === 0 ? [`${t.value} (changed)`, 'Avec des "guillemets" et un # dièse', `${t.value}  ${t.value}`] : [`${t.value} (changed)`];
      for (const value of values) {
        const result = replaceText(source, t.path, value);
        expect(parseDocument(result).getIn(t.path), t.path.join('.')).toBe(value);
        const after = result.split('\n');
        // The lines before the text and after it are the file's, byte for byte.
        expect(after.slice(0, t.first)).toEqual(lines.slice(0, t.first));
        expect(after.slice(after.length - (lines.length - t.last - 1))).toEqual(lines.slice(t.last + 1));
      }
    }
  });

  it('writes a short text on its line, a long one folded at spaces within the width, one with a line break quoted', () => {
    const source = 'title: Old\nsteps:\n  open: >-\n    A long text that goes on\n    over two lines.\n  done: Done\n';
    expect(replaceText(source, ['title'], 'New: title')).toBe(
      'title: "New: title"\nsteps:\n  open: >-\n    A long text that goes on\n    over two lines.\n  done: Done\n',
    );
    const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const folded = replaceText(source, ['steps', 'open'], long);
    const lines = folded.split('\n');
    expect(lines.slice(0, 3)).toEqual(['title: Old', 'steps:', '  open: >-']);
    const body = lines.slice(3, lines.indexOf('  done: Done'));
    expect(body.length).toBeGreaterThan(1);
    expect(body.every((l) => l.startsWith('    word') && l.length <= 100)).toBe(true);
    expect(body.map((l) => l.trim()).join(' ')).toBe(long);
    expect(replaceText(source, ['steps', 'done'], 'Two\nlines')).toContain('  done: "Two\\nlines"\n');
    expect(() => replaceText(source, ['steps'], 'x')).toThrow(/steps is not a text of this file/);
  });
});

describe('changing a fact of guide.yaml', () => {
  it.each(readdirSync(guides))('%s: each fact gets its new value, source and date on its own line; every other line stays', (guide) => {
    const file = join(guides, guide, 'guide.yaml');
    const source = readFileSync(file, 'utf8');
    const lines = source.split('\n');
    const facts = Object.keys((parseDocument(source).toJS() as { facts: Record<string, unknown> }).facts);
    for (const id of facts) {
      const value = id.includes('site') || id.includes('page') ? 'https://www.example.gov/new, page' : 'Nouveau « libellé », {avec} des: signes';
      const result = setFact(source, id, { value, source: 'https://www.example.gov/notice', date: '2026-12-06' });
      const doc = parseDocument(result);
      expect(doc.errors).toEqual([]);
      expect((doc.toJS() as { facts: Record<string, unknown> }).facts[id]).toMatchObject({
        value,
        source: 'https://www.example.gov/notice',
        date: '2026-12-06',
      });
      const after = result.split('\n');
      const changed = after.filter((l, i) => l !== lines[i]);
      expect(after).toHaveLength(lines.length);
      expect(changed, id).toHaveLength(1);
      expect(changed[0]).toMatch(new RegExp(`^\\s+${id}: \\{`));
    }
  });

  it('adds source and date to a fact written as a block map, and replaces them when they are there', () => {
    const source = 'facts:\n  call:\n    kind: phone\n    value: "05 20 19 40 40"\nscreens: {}\n';
    const once = setFact(source, 'call', { value: '05 20 00 00 00', source: 'Dépliant 2026', date: '2026-12-06' });
    expect(once).toBe('facts:\n  call:\n    kind: phone\n    value: "05 20 00 00 00"\n    source: "Dépliant 2026"\n    date: "2026-12-06"\nscreens: {}\n');
    expect(setFact(once, 'call', { value: '05 20 00 00 01', source: 'Site', date: '2026-12-07' })).toBe(
      'facts:\n  call:\n    kind: phone\n    value: "05 20 00 00 01"\n    source: "Site"\n    date: "2026-12-07"\nscreens: {}\n',
    );
  });
});

describe('writing a text a draft language does not have yet', () => {
  /** Whether every line of `before` is in `after`, in the same order. */
  const kept = (before: string, after: string) => {
    const rest = after.split('\n');
    return before.split('\n').every((line) => {
      const at = rest.indexOf(line);
      return at >= 0 && rest.splice(0, at + 1).length > 0;
    });
  };

  it.each(files.filter((f) => f.endsWith('/fr.yaml')))(
    '%s written text by text into an empty file reads back as the same texts, each step keeping every line',
    (file) => {
      const reference = flattenTexts(parseDocument(readFileSync(join(ROOT, file), 'utf8')).toJS(), '', () => undefined);
      let draft = '# A draft, being written.\n';
      for (const [id, value] of reference) {
        const next = setText(draft, id.split('.'), value);
        expect(kept(draft, next), id).toBe(true);
        draft = next;
      }
      expect(parseDocument(draft).errors).toEqual([]);
      expect(flattenTexts(parseDocument(draft).toJS(), '', () => undefined)).toEqual(reference);
    },
  );

  it('adds a text at the end of the deepest map the file has, making the maps it lacks, and replaces one the file has', () => {
    const source = 'title: Titre\nlogin:\n  site: Le site\nend: Fin';
    expect(setText(source, ['login', 'button'], 'Le bouton')).toBe('title: Titre\nlogin:\n  site: Le site\n  button: Le bouton\nend: Fin');
    expect(setText(source, ['steps', 'one', 'title'], 'Un')).toBe(`${source}\nsteps:\n  one:\n    title: Un\n`);
    expect(setText(source, ['login', 'site'], 'Un autre site')).toBe('title: Titre\nlogin:\n  site: Un autre site\nend: Fin');
    expect(setText('', ['title'], 'Titre')).toBe('title: Titre\n');
    expect(() => setText(source, ['title', 'more'], 'x')).toThrow(/title\.more/);
  });
});

describe('changing the other fields of guide.yaml editors own', () => {
  it.each(readdirSync(guides))(
    '%s: the checked day, the review period and each withdrawn or new item’s status, date and source change only their own lines',
    (slug) => {
      const source = readFileSync(join(guides, slug, 'guide.yaml'), 'utf8');
      const lines = source.split('\n');
      const changed = (result: string) => {
        expect(parseDocument(result).errors).toEqual([]);
        const after = result.split('\n');
        expect(after).toHaveLength(lines.length);
        return after.filter((l, i) => l !== lines[i]);
      };
      expect(changed(setGuideField(source, 'checked.date', { value: '2027-01-02' }))).toEqual([expect.stringMatching(/^ {2}date: "?2027-01-02"?$/)]);
      expect(changed(setGuideField(source, 'review.every', { value: '1 year' }))).toEqual([expect.stringMatching(/^review: \{ every: "?1 year"? \}$/)]);
      const doc = parseDocument(source).toJS() as {
        sections: Array<{ blocks: Array<{ type: string; id: string; items?: Array<{ key: string; status?: string }> }> }>;
      };
      for (const b of doc.sections.flatMap((s) => s.blocks).filter((b) => b.type === 'checklists'))
        for (const item of (b.items ?? []).filter((i) => i.status && i.status !== 'current')) {
          const result = setGuideField(source, `status.${b.id}.${item.key}`, { value: 'new', source: 'https://example.gov/list', date: '2027-01-02' });
          expect(changed(result).length, item.key).toBeLessThanOrEqual(3);
          const now = (parseDocument(result).toJS() as typeof doc).sections
            .flatMap((s) => s.blocks)
            .find((x) => x.id === b.id)!
            .items!.find((i) => i.key === item.key);
          expect(now).toMatchObject({ status: 'new', source: 'https://example.gov/list', date: '2027-01-02' });
        }
      expect(() => setGuideField(source, 'status.nowhere.nobody', { value: 'new' })).toThrow(/not an item/);
    },
  );
});
