import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSnapshot, writeSnapshot } from '../../src/content/snapshot.js';
import { realSite } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dalil-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the release's snapshot of the checked content", () => {
  it('gives back the very catalogue: guides, languages (the registry’s own), texts, tools and links', async () => {
    const site = await realSite();
    writeSnapshot(dir, site.catalogue);
    const read = readSnapshot(dir, site.registry);
    expect(read.guides.map((g) => g.slug)).toEqual(site.catalogue.guides.map((g) => g.slug));
    for (const [i, guide] of read.guides.entries()) {
      const original = site.catalogue.guides[i]!;
      guide.languages.forEach((l, n) => expect(l).toBe(original.languages[n]));
      expect(guide.reference).toBe(original.reference);
      expect(guide.siteLanguage).toBe(original.siteLanguage);
      expect(guide.texts).toEqual(original.texts);
      expect(guide.sections).toEqual(original.sections);
      expect(guide.provenance).toEqual(original.provenance);
      expect(guide.reviewDue).toBe(original.reviewDue);
    }
    expect(read.tools.map((t) => [t.id, t.guide.slug])).toEqual(site.catalogue.tools.map((t) => [t.id, t.guide.slug]));
    // A tool's guide is the catalogue's guide object, and its block one of that guide's blocks.
    for (const tool of read.tools) {
      expect(read.get(tool.guide.slug)).toBe(tool.guide);
      expect(tool.guide.sections.flatMap((s) => s.blocks)).toContain(tool.block);
    }
    expect(read.resolve('guide:franceconnect#providers')).toMatchObject({ kind: 'guide', section: 'providers' });
    expect(read.coverage).toEqual(site.catalogue.coverage);
  });

  it('keeps at most the given number of guides’ texts in memory, least recently used out first', async () => {
    const site = await realSite();
    writeSnapshot(dir, site.catalogue);
    const read = readSnapshot(dir, site.registry, 2);
    const [a, b, c] = read.guides;
    expect(read.textsKept()).toBe(0);
    const first = a!.texts;
    expect(a!.texts).toBe(first); // kept: read once
    void b!.texts;
    expect(read.textsKept()).toBe(2);
    void a!.texts; // a is now the most recent
    void c!.texts; // b goes
    expect(read.textsKept()).toBe(2);
    expect(a!.texts).toBe(first);
    for (const g of read.guides) void g.texts;
    expect(read.textsKept()).toBe(2);
    expect(a!.texts).not.toBe(first); // read again from disk, equal
    expect(a!.texts).toEqual(first);
  });
});
