import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Language, Registry } from '../languages.js';
import { type Catalogue, type Coverage, type Guide, indexCatalogue } from './catalogue.js';
import type { Inline } from './markup.js';

/**
 * The checked content as the build leaves it in a release (RELEASE_DIR/<version>/content/): the
 * guides' structure in one file, each guide's texts in a file of its own. A server whose content
 * is the release's (same version: same bytes) reads this instead of parsing and checking every
 * YAML file again, and reads a guide's texts only when a page of it is rendered on demand, keeping
 * a bounded number in memory: start-up and memory do not follow the number of guides × languages.
 */
const STRUCTURE = 'catalogue.bin';

/** Content a publish has just checked (in memory, not a snapshot), with the registry its guides' languages belong to. */
export interface Checked {
  catalogue: Catalogue;
  registry: Registry;
}
const textsFile = (dir: string, slug: string) => join(dir, 'texts', `${slug}.bin`);

type Texts = Guide['texts'];
interface StoredGuide extends Omit<Guide, 'languages' | 'siteLanguage' | 'reference' | 'texts'> {
  languages: string[];
  siteLanguage: string;
  reference: string;
}

export function writeSnapshot(dir: string, catalogue: Catalogue): void {
  mkdirSync(join(dir, 'texts'), { recursive: true });
  const guides: StoredGuide[] = catalogue.guides.map(({ languages, siteLanguage, reference, texts, ...rest }) => {
    writeFileSync(textsFile(dir, rest.slug), serialize(texts));
    return { ...rest, languages: languages.map((l) => l.id), siteLanguage: siteLanguage.id, reference: reference.id };
  });
  writeFileSync(join(dir, STRUCTURE), serialize({ guides, coverage: catalogue.coverage }));
}

export const hasSnapshot = (dir: string) => existsSync(join(dir, STRUCTURE));

/**
 * The catalogue of a snapshot, with the registry's own language objects; a guide's texts are read
 * from disk when first used and at most `textsKept` guides' texts are kept (least recently used go).
 */
export function readSnapshot(dir: string, registry: Registry, textsKept = 32): Catalogue & { textsKept(): number } {
  const { guides, coverage } = deserialize(readFileSync(join(dir, STRUCTURE))) as { guides: StoredGuide[]; coverage: Coverage[] };
  const kept = new Map<string, Texts>();
  const texts = (slug: string): Texts => {
    let t = kept.get(slug);
    if (t) kept.delete(slug);
    else {
      t = deserialize(readFileSync(textsFile(dir, slug))) as Map<string, Map<string, Inline[]>>;
      if (kept.size >= textsKept) kept.delete(kept.keys().next().value!);
    }
    kept.set(slug, t);
    return t;
  };
  const language = (id: string): Language => registry.get(id)!;
  const live = guides.map((g) => {
    const guide = { ...g, languages: g.languages.map(language), siteLanguage: language(g.siteLanguage), reference: language(g.reference) } as Omit<Guide, 'texts'>;
    return Object.defineProperty(guide, 'texts', { get: () => texts(g.slug), enumerable: true }) as Guide;
  });
  return Object.assign(indexCatalogue(live, coverage), { textsKept: () => kept.size });
}
