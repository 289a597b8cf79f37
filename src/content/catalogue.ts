import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Language, Registry } from '../languages.js';
import { HISTORY_FILE, type HistoryEntry, readHistory } from './history.js';
import { type Inline, links, REF } from './markup.js';
import { guideFields, type Part, presentParts } from './parts.js';
import { ContentError, type ContentIssue, flattenTexts, readYaml, type Report, zodPath } from './read.js';
import { reviewDue } from './review.js';
import { checkAddresses, checkSiteTexts, checkText, onDomains, requiredTextIds } from './rules.js';
import { type Block, type Fact, type GuideFile, GuideSchema } from './schema.js';
import { type Provenance, readProvenance } from './translations.js';

export interface Guide {
  slug: string;
  country: string;
  order: number;
  /** Declared languages, in registry order. */
  languages: Language[];
  siteLanguage: Language;
  site: string;
  domains: string[];
  checkedDate: string;
  checkedUrl: string | undefined;
  /** A note under the guide on where its facts come from (text "checked.note"). */
  checkedNote: boolean;
  /** The day it must be checked again (checked date + review period). */
  reviewDue: string;
  /** The language the others are compared with, shown as the reference. */
  reference: Language;
  /** Where each language's text came from (translations.yaml), and the reference texts changed since. */
  provenance: Map<string, Provenance>;
  /** What each publish changed, newest first (changes.yaml). */
  history: HistoryEntry[];
  facts: Record<string, Fact>;
  /** Where a reader gets help (guide.yaml's help). */
  help: GuideFile['help'];
  screens: GuideFile['screens'];
  sections: GuideFile['sections'];
  /** Parsed texts per language id, by text id. */
  texts: Map<string, Map<string, Inline[]>>;
  /** Numbered steps in reading order. */
  stepCount: number;
  /** The help-desk mode's screens, in reading order. */
  parts: Part[];
}

export interface Coverage {
  slug: string;
  language: string;
  declared: boolean;
  covered: number;
  total: number;
}

/** An interactive tool: a checklists, pairs or decision block of a guide, at /:locale/tools/<id>. */
export interface Tool {
  id: string;
  guide: Guide;
  block: Extract<Block, { type: 'checklists' | 'pairs' | 'decision' }>;
}

/** The page a "guide:<slug>#<section>" or "tool:<id>" reference names. */
export type Target = { kind: 'guide'; guide: Guide; section: string | undefined } | { kind: 'tool'; tool: Tool };

export interface Catalogue {
  guides: Guide[];
  get(slug: string): Guide | undefined;
  tools: Tool[];
  tool(id: string): Tool | undefined;
  resolve(ref: string): Target | undefined;
  coverage: Coverage[];
}

/**
 * Loads and checks every guide under <contentDir>/guides, then indexes their tools and checks the
 * links between pages. Throws ContentError listing every problem found, each with its file and path.
 */
export function loadContent(contentDir: string, registry: Registry, root = process.cwd()): Catalogue {
  const steps = loading(contentDir, registry, root);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** The same, letting the server answer every 100 ms (between two guides): a check of 200 guides takes seconds. */
export async function loadContentGently(contentDir: string, registry: Registry, root = process.cwd()): Promise<Catalogue> {
  const steps = loading(contentDir, registry, root);
  for (let step = steps.next(), since = performance.now(); ; step = steps.next()) {
    if (step.done) return step.value;
    if (performance.now() - since < 100) continue;
    await new Promise((next) => setImmediate(next));
    since = performance.now();
  }
}

function* loading(contentDir: string, registry: Registry, root: string): Generator<void, Catalogue> {
  const issues: ContentIssue[] = [];
  const report: Report = (file, path, message) => issues.push({ file, path, message });
  const coverage: Coverage[] = [];
  const guidesDir = join(contentDir, 'guides');
  const rel = (p: string) => relative(root, p) || p;
  if (!existsSync(guidesDir)) throw new ContentError([{ file: rel(guidesDir), path: '', message: 'folder not found' }]);

  const slugs = readdirSync(guidesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const guides: Guide[] = [];
  for (const slug of slugs) {
    const guide = readGuide(join(guidesDir, slug), slug, registry, rel, report, coverage);
    if (guide) guides.push(guide);
    yield;
  }
  if (issues.length) throw new ContentError(issues);
  guides.sort((a, b) => a.country.localeCompare(b.country) || a.order - b.order || a.slug.localeCompare(b.slug));
  const bySlug = new Map(guides.map((g) => [g.slug, g]));

  const catalogue = indexCatalogue(guides, coverage, (guide, at, id, taken) =>
    report(rel(join(guidesDir, guide.slug, 'guide.yaml')), `${at}.tool`, `tool "${id}" is already defined by ${taken.slug}`),
  );
  const tools = new Map(catalogue.tools.map((t) => [t.id, t]));
  const eachBlock = (f: (guide: Guide, block: Block, at: string, file: string) => void) => {
    for (const guide of guides) {
      const file = rel(join(guidesDir, guide.slug, 'guide.yaml'));
      guide.sections.forEach((s, si) => s.blocks.forEach((block, bi) => f(guide, block, `sections[${si}].blocks[${bi}]`, file)));
    }
  };
  // Links between pages: every guide, section and tool they name must exist, and texts may only
  // link to a page that exists in their own language.
  for (const guide of guides) {
    for (const [id, texts] of guide.texts) {
      const language = registry.get(id)!;
      for (const [key, nodes] of texts) {
        for (const ref of links(nodes)) {
          if (!REF.test(ref)) continue;
          const target = resolveRef(ref, bySlug, tools);
          const file = rel(join(guidesDir, guide.slug, `${id}.yaml`));
          if (!target) report(file, key, `"${ref}" names no guide, section or tool`);
          else if (!(target.kind === 'tool' ? target.tool.guide : target.guide).languages.includes(language)) {
            report(file, key, `"${ref}" does not exist in ${language.name}`);
          }
        }
      }
    }
  }
  eachBlock((_guide, block, at, file) => {
    if (block.type !== 'decision') return;
    for (const [outcome, refs] of Object.entries(block.links)) {
      refs.forEach((ref, n) => {
        if (!resolveRef(ref, bySlug, tools)) report(file, `${at}.links.${outcome}[${n}]`, `"${ref}" names no guide, section or tool`);
      });
    }
  });
  if (issues.length) throw new ContentError(issues);
  return catalogue;
}

/**
 * The catalogue of checked guides (sorted): their tools indexed (a tool defined twice is passed to
 * `twice`), lookups by slug, tool and reference. Shared by the loader and the release's snapshot.
 */
export function indexCatalogue(
  guides: Guide[],
  coverage: Coverage[],
  twice: (guide: Guide, at: string, id: string, taken: Guide) => void = () => undefined,
): Catalogue {
  const bySlug = new Map(guides.map((g) => [g.slug, g]));
  const tools = new Map<string, Tool>();
  for (const guide of guides) {
    guide.sections.forEach((s, si) =>
      s.blocks.forEach((block, bi) => {
        if ((block.type !== 'checklists' && block.type !== 'pairs' && block.type !== 'decision') || !block.tool) return;
        const taken = tools.get(block.tool);
        if (taken) twice(guide, `sections[${si}].blocks[${bi}]`, block.tool, taken.guide);
        else tools.set(block.tool, { id: block.tool, guide, block });
      }),
    );
  }
  return {
    guides,
    get: (slug) => bySlug.get(slug),
    tools: [...tools.values()],
    tool: (id) => tools.get(id),
    resolve: (ref) => resolveRef(ref, bySlug, tools),
    coverage,
  };
}

/** One guide's folder: guide.yaml checked against the schema and the rules, then each <locale>.yaml. */
function readGuide(dir: string, slug: string, registry: Registry, rel: (p: string) => string, report: Report, coverage: Coverage[]): Guide | undefined {
  const guideFile = rel(join(dir, 'guide.yaml'));
  const problems: string[] = [];
  const at: Report = (file, path, message) => {
    problems.push(message);
    report(file, path, message);
  };
  const inGuide = (path: string, message: string) => at(guideFile, path, message);

  const raw = readYaml(join(dir, 'guide.yaml'), guideFile, at);
  if (raw === undefined) return undefined;
  const parsed = GuideSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) inGuide(zodPath(i.path), i.message);
    return undefined;
  }
  const g = parsed.data;
  if (g.slug !== slug) inGuide('slug', `is "${g.slug}" but the folder is "${slug}"`);

  const languages: Language[] = [];
  g.languages.forEach((id, n) => {
    const l = registry.get(id);
    if (!l) inGuide(`languages[${n}]`, `"${id}" is not a language of locales/languages.json`);
    else if (languages.includes(l)) inGuide(`languages[${n}]`, `"${id}" is listed twice`);
    else languages.push(l);
  });
  const siteLanguage = registry.get(g.siteLanguage);
  if (!siteLanguage) inGuide('siteLanguage', `"${g.siteLanguage}" is not a language of locales/languages.json`);
  const reference = registry.get(g.reference);
  if (!reference || !languages.includes(reference)) inGuide('reference', `"${g.reference}" is not one of the guide's languages`);
  const allowed = onDomains(g.domains);
  checkAddresses(g, allowed, inGuide);
  if (siteLanguage) checkSiteTexts(g, registry, inGuide);

  const required = requiredTextIds(g, inGuide);
  const texts = new Map<string, Map<string, Inline[]>>();
  const sources = new Map<string, Map<string, string>>();
  const localeFiles = readdirSync(dir).filter((f) => f !== 'guide.yaml' && f !== 'translations.yaml' && f !== HISTORY_FILE && f.endsWith('.yaml'));
  for (const l of languages) {
    if (!localeFiles.includes(`${l.id}.yaml`)) at(rel(join(dir, `${l.id}.yaml`)), '', `file not found: "${l.id}" is declared in languages`);
  }
  for (const name of localeFiles) {
    const id = name.slice(0, -'.yaml'.length);
    const file = rel(join(dir, name));
    const language = registry.get(id);
    if (!language) {
      at(file, '', `"${id}" is not a language of locales/languages.json`);
      continue;
    }
    const declared = languages.includes(language);
    const tree = readYaml(join(dir, name), file, at);
    if (tree === undefined) continue;
    const flat = flattenTexts(tree, '', (path, message) => at(file, path, message));
    const parsedTexts = new Map<string, Inline[]>();
    for (const [key, value] of flat) {
      if (!required.has(key)) {
        at(file, key, 'unknown id: guide.yaml has no such text');
        continue;
      }
      const nodes = checkText(value, key === 'title' || key.endsWith('.title'), language, g, registry, allowed, (m) => at(file, key, m));
      if (nodes) parsedTexts.set(key, nodes);
    }
    const missing = [...required].filter((k) => !flat.has(k));
    if (declared) for (const k of missing) at(file, k, 'missing: every declared language covers every id');
    coverage.push({ slug, language: id, declared, covered: required.size - missing.length, total: required.size });
    texts.set(id, parsedTexts);
    sources.set(id, flat);
  }

  const history = readHistory(dir, rel(join(dir, HISTORY_FILE)), { languages: new Set([...languages.map((l) => l.id), ...texts.keys()]), texts: required, facts: new Set([...Object.keys(g.facts), ...guideFields(g).keys()]) }, at);
  // Where each language's text came from, against which reference texts.
  const provenance = reference
    ? readProvenance(dir, rel(join(dir, 'translations.yaml')), { slug, languages, reference, registry, texts: sources.get(reference.id) ?? new Map(), history }, at)
    : new Map<string, Provenance>();

  if (problems.length || !siteLanguage || !reference) return undefined;
  return {
    slug,
    country: g.country,
    order: g.order,
    languages: registry.all.filter((l) => languages.includes(l)),
    siteLanguage,
    site: g.site,
    domains: g.domains,
    checkedDate: g.checked.date,
    checkedUrl: g.checked.url,
    checkedNote: g.checked.note,
    reviewDue: reviewDue(g.checked.date, g.review.every),
    reference,
    provenance,
    history,
    facts: g.facts,
    help: g.help,
    screens: g.screens,
    sections: g.sections,
    texts,
    stepCount: g.sections.flatMap((s) => s.blocks).reduce((n, b) => n + (b.type === 'steps' ? b.steps.length : 0), 0),
    parts: presentParts(g.sections),
  };
}

/** The page a "guide:<slug>#<section>" or "tool:<id>" reference names, or undefined. */
export function resolveRef(ref: string, guides: ReadonlyMap<string, Guide>, tools: ReadonlyMap<string, Tool>): Target | undefined {
  if (ref.startsWith('tool:')) {
    const tool = tools.get(ref.slice(5));
    return tool && { kind: 'tool', tool };
  }
  const [slug = '', section] = ref.slice(6).split('#');
  const guide = guides.get(slug);
  if (!guide || (section && !guide.sections.some((s) => s.id === section))) return undefined;
  return { kind: 'guide', guide, section };
}
