import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

/** The documentation: the README and one file per topic under docs/. */
const DOCS = join(ROOT, 'docs');
const files = [join(ROOT, 'README.md'), ...readdirSync(DOCS).flatMap((f) => (f.endsWith('.md') ? [join(DOCS, f)] : []))];

/** Lines outside fenced code blocks (``` or ~~~), with inline code spans blanked: neither holds links or headings. */
function prose(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      return '';
    }
    if (marker) {
      fence = marker;
      return '';
    }
    return line.replace(/(`+)(?:(?!\1).)+?\1/g, (code) => (/^#{1,6}\s/.test(line) ? code : ' '));
  });
}

/** A heading's anchor as GitHub makes it: lowercase, punctuation and symbols dropped, each space a hyphen. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\*+/g, '');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a markdown file, in order; a repeated heading gets -1, -2 … (GitHub's rule). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of prose(markdown)) {
    const m = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    let anchor = base;
    while (seen.has(anchor)) {
      const n = seen.get(base)! + 1;
      seen.set(base, n);
      anchor = `${base}-${n}`;
    }
    seen.set(anchor, 0);
    result.add(anchor);
  }
  return result;
}

/** The targets of the file's inline links and images that are relative: no scheme, not protocol-relative. */
function relativeLinks(markdown: string): string[] {
  const targets = prose(markdown).flatMap((line) => [...line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!));
  return targets.filter((t) => t !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('//'));
}

/** What is wrong with each relative link of a file: a missing file, a path outside the repository, an unknown anchor. */
function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const link of relativeLinks(text)) {
    const [path = '', anchor] = link.split('#', 2);
    const target = path === '' ? file : resolve(dirname(file), decodeURI(path));
    if (target !== ROOT && !target.startsWith(ROOT + sep)) broken.push(`${link}: outside the repository`);
    else if (!existsSync(target)) broken.push(`${link}: no such file`);
    else if (anchor !== undefined) {
      if (!target.endsWith('.md') || statSync(target).isDirectory()) broken.push(`${link}: an anchor into a file that is not markdown`);
      else if (!anchors(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor))) broken.push(`${link}: no heading makes #${anchor}`);
    }
  }
  return broken;
}

describe('the documentation', () => {
  it('has a docs/ folder of topics', () => {
    expect(files.length).toBeGreaterThan(1);
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s: every relative link resolves, anchors included', (_name, file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it('links every docs file from the README', () => {
    const linked = new Set(relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((l) => resolve(ROOT, l.split('#')[0]!)));
    expect(files.slice(1).filter((f) => !linked.has(f))).toEqual([]);
  });

  it('keeps the README short, with the quick start command', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const lines = readme.split('\n').length - (readme.endsWith('\n') ? 1 : 0);
    expect(lines).toBeLessThanOrEqual(200);
    expect(readme).toContain('npm ci && npm start');
  });
});

describe('GitHub anchors', () => {
  it.each([
    ['Read aloud and send to a phone', 'read-aloud-and-send-to-a-phone'],
    ["Node's flag", 'nodes-flag'],
    ['`FAST_SHAPES`', 'fast_shapes'],
    ['A request’s way — the fast path', 'a-requests-way--the-fast-path'],
    ['bench:scale', 'benchscale'],
    ['Réglages (2026)', 'réglages-2026'],
  ])('%s → #%s', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor);
  });

  it('numbers repeated headings -1, -2', () => {
    expect([...anchors('# Figures\n## Figures\n```\n# Figures\n```\n### Figures\n## Figures-1\n')]).toEqual([
      'figures',
      'figures-1',
      'figures-2',
      'figures-1-1',
    ]);
  });
});
