import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Language, Registry } from '../locales.js';
import { facts, type Inline, InlineError, links, parseInline, textRuns } from './inline.js';
import { type Block, type Fact, type GuideFile, GuideSchema } from './schema.js';

export interface ContentIssue {
  file: string;
  path: string;
  message: string;
}

export class ContentError extends Error {
  constructor(readonly issues: ContentIssue[]) {
    super(`The content is broken:\n${issues.map(formatIssue).join('\n')}`);
  }
}

export const formatIssue = (i: ContentIssue) => `  ${i.file}: ${i.path || '(whole file)'}: ${i.message}`;

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
  facts: Record<string, Fact>;
  screens: GuideFile['screens'];
  sections: GuideFile['sections'];
  /** Parsed texts per language id, by text id. */
  texts: Map<string, Map<string, Inline[]>>;
  /** Numbered steps in reading order. */
  stepCount: number;
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

export interface Catalogue {
  guides: Guide[];
  get(slug: string): Guide | undefined;
  tools: Tool[];
  tool(id: string): Tool | undefined;
  resolve(ref: string): ReturnType<typeof resolveRef>;
  coverage: Coverage[];
}

/** Loads and checks every guide under <contentDir>/guides. Throws ContentError listing every problem found. */
export function loadContent(contentDir: string, registry: Registry, root = process.cwd()): Catalogue {
  const issues: ContentIssue[] = [];
  const guides: Guide[] = [];
  const coverage: Coverage[] = [];
  const guidesDir = join(contentDir, 'guides');
  const rel = (p: string) => relative(root, p) || p;
  if (!existsSync(guidesDir)) throw new ContentError([{ file: rel(guidesDir), path: '', message: 'folder not found' }]);

  for (const slug of readdirSync(guidesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const dir = join(guidesDir, slug);
    const guideFile = rel(join(dir, 'guide.yaml'));
    const before = issues.length;
    const report = (file: string, path: string, message: string) => issues.push({ file, path, message });

    const raw = readYaml(join(dir, 'guide.yaml'), guideFile, report);
    if (raw === undefined) continue;
    const parsed = GuideSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) report(guideFile, zodPath(i.path), i.message);
      continue;
    }
    const g = parsed.data;
    if (g.slug !== slug) report(guideFile, 'slug', `is "${g.slug}" but the folder is "${slug}"`);

    const languages: Language[] = [];
    g.languages.forEach((id, n) => {
      const l = registry.get(id);
      if (!l) report(guideFile, `languages[${n}]`, `"${id}" is not a language of locales/languages.json`);
      else if (languages.includes(l)) report(guideFile, `languages[${n}]`, `"${id}" is listed twice`);
      else languages.push(l);
    });
    const siteLanguage = registry.get(g.siteLanguage);
    if (!siteLanguage) report(guideFile, 'siteLanguage', `"${g.siteLanguage}" is not a language of locales/languages.json`);
    const allowed = (href: string) => {
      try {
        const u = new URL(href);
        return /^https?:$/.test(u.protocol) && g.domains.some((d) => u.hostname === d || u.hostname.endsWith(`.${d}`));
      } catch {
        return false;
      }
    };
    if (!allowed(g.site)) report(guideFile, 'site', `${g.site} is not on a domain listed in "domains"`);
    if (g.checked.url && !allowed(g.checked.url)) report(guideFile, 'checked.url', `${g.checked.url} is not on a domain listed in "domains"`);
    for (const [id, f] of Object.entries(g.facts)) {
      if (f.kind === 'url' && !allowed(f.value)) report(guideFile, `facts.${id}.value`, `${f.value} is not on a domain listed in "domains"`);
    }
    if (siteLanguage) checkSiteTexts(g, registry, (path, message) => report(guideFile, path, message));

    g.sections.forEach((s, si) =>
      s.blocks.forEach((b, bi) => {
        const at = `sections[${si}].blocks[${bi}]`;
        const urls: Array<[string, string | undefined]> =
          b.type === 'callout'
            ? [[`${at}.source`, b.source]]
            : b.type === 'checklists'
              ? b.items.flatMap((item, n): Array<[string, string | undefined]> => [
                  [`${at}.items[${n}].url`, item.url],
                  [`${at}.items[${n}].source`, item.source],
                ])
              : [];
        for (const [path, url] of urls) if (url && !allowed(url)) report(guideFile, path, `${url} is not on a domain listed in "domains"`);
      }),
    );

    const required = requiredTextIds(g, (path, message) => report(guideFile, path, message));
    const texts = new Map<string, Map<string, Inline[]>>();
    const localeFiles = readdirSync(dir).filter((f) => f !== 'guide.yaml' && f.endsWith('.yaml'));
    for (const l of languages) {
      if (!localeFiles.includes(`${l.id}.yaml`)) report(rel(join(dir, `${l.id}.yaml`)), '', `file not found: "${l.id}" is declared in languages`);
    }
    for (const name of localeFiles) {
      const id = name.slice(0, -'.yaml'.length);
      const file = rel(join(dir, name));
      const language = registry.get(id);
      if (!language) {
        report(file, '', `"${id}" is not a language of locales/languages.json`);
        continue;
      }
      const declared = languages.includes(language);
      const tree = readYaml(join(dir, name), file, report);
      if (tree === undefined) continue;
      const flat = flattenTexts(tree, '', (path, message) => report(file, path, message));
      const parsedTexts = new Map<string, Inline[]>();
      for (const [key, value] of flat) {
        if (!required.has(key)) {
          report(file, key, 'unknown id: guide.yaml has no such text');
          continue;
        }
        const nodes = checkText(value, key === 'title' || key.endsWith('.title'), language, g, registry, allowed, (m) => report(file, key, m));
        if (nodes) parsedTexts.set(key, nodes);
      }
      const missing = [...required].filter((k) => !flat.has(k));
      if (declared) for (const k of missing) report(file, k, 'missing: every declared language covers every id');
      coverage.push({ slug, language: id, declared, covered: required.size - missing.length, total: required.size });
      texts.set(id, parsedTexts);
    }

    if (issues.length > before || !siteLanguage) continue;
    guides.push({
      slug,
      country: g.country,
      order: g.order,
      languages: registry.all.filter((l) => languages.includes(l)),
      siteLanguage,
      site: g.site,
      domains: g.domains,
      checkedDate: g.checked.date,
      checkedUrl: g.checked.url,
      facts: g.facts,
      screens: g.screens,
      sections: g.sections,
      texts,
      stepCount: g.sections.flatMap((s) => s.blocks).reduce((n, b) => n + (b.type === 'steps' ? b.steps.length : 0), 0),
    });
  }
  if (issues.length) throw new ContentError(issues);
  const bySlug = new Map(guides.map((g) => [g.slug, g]));
  guides.sort((a, b) => a.country.localeCompare(b.country) || a.order - b.order || a.slug.localeCompare(b.slug));
  const tools = new Map<string, Tool>();
  for (const guide of guides) {
    guide.sections.forEach((s, si) =>
      s.blocks.forEach((block, bi) => {
        if ((block.type !== 'checklists' && block.type !== 'pairs' && block.type !== 'decision') || !block.tool) return;
        const file = rel(join(guidesDir, guide.slug, 'guide.yaml'));
        if (tools.has(block.tool)) issues.push({ file, path: `sections[${si}].blocks[${bi}].tool`, message: `tool "${block.tool}" is already defined by ${tools.get(block.tool)!.guide.slug}` });
        else tools.set(block.tool, { id: block.tool, guide, block });
      }),
    );
  }
  // Links between pages: every guide, section and tool they name must exist.
  for (const guide of guides) {
    guide.sections.forEach((s, si) =>
      s.blocks.forEach((block, bi) => {
        if (block.type !== 'decision') return;
        for (const [outcome, refs] of Object.entries(block.links)) {
          refs.forEach((ref, n) => {
            if (!resolveRef(ref, bySlug, tools)) {
              issues.push({ file: rel(join(guidesDir, guide.slug, 'guide.yaml')), path: `sections[${si}].blocks[${bi}].links.${outcome}[${n}]`, message: `"${ref}" names no guide, section or tool` });
            }
          });
        }
      }),
    );
  }
  if (issues.length) throw new ContentError(issues);
  return { guides, get: (slug) => bySlug.get(slug), tools: [...tools.values()], tool: (id) => tools.get(id), resolve: (ref) => resolveRef(ref, bySlug, tools), coverage };
}

/** The page a "guide:<slug>#<section>" or "tool:<id>" reference names, or undefined. */
export function resolveRef(
  ref: string,
  guides: ReadonlyMap<string, Guide>,
  tools: ReadonlyMap<string, Tool>,
): { kind: 'guide'; guide: Guide; section: string | undefined } | { kind: 'tool'; tool: Tool } | undefined {
  if (ref.startsWith('tool:')) {
    const tool = tools.get(ref.slice(5));
    return tool && { kind: 'tool', tool };
  }
  const [slug = '', section] = ref.slice(6).split('#');
  const guide = guides.get(slug);
  if (!guide || (section && !guide.sections.some((s) => s.id === section))) return undefined;
  return { kind: 'guide', guide, section };
}

/** Every text id a guide's structure asks for. */
export function requiredTextIds(g: GuideFile, report: (path: string, message: string) => void): Set<string> {
  const ids = new Set<string>();
  const add = (id: string, path: string) => {
    if (ids.has(id)) report(path, `text id "${id}" is used twice`);
    ids.add(id);
  };
  add('title', 'title');
  add('summary', 'summary');
  add('checked.source', 'checked');
  g.sections.forEach((s, si) => {
    add(`${s.id}.title`, `sections[${si}].id`);
    s.blocks.forEach((b: Block, bi) => {
      const at = `sections[${si}].blocks[${bi}]`;
      switch (b.type) {
        case 'text':
        case 'heading':
        case 'callout':
          add(b.id, `${at}.id`);
          break;
        case 'list':
          b.items.forEach((id, n) => add(id, `${at}.items[${n}]`));
          break;
        case 'steps':
          b.steps.forEach((st, n) => {
            add(st.id, `${at}.steps[${n}].id`);
            st.substeps.forEach((id, k) => add(id, `${at}.steps[${n}].substeps[${k}]`));
            st.branches.forEach((br, k) => add(br.id, `${at}.steps[${n}].branches[${k}].id`));
          });
          break;
        case 'checklists':
          add(`${b.id}.conclusion`, `${at}.id`);
          if (b.tool) for (const k of ['title', 'intro']) add(`${b.id}.tool.${k}`, `${at}.tool`);
          b.items.forEach((item, n) => {
            for (const check of item.checks) add(`${b.id}.${item.key}.${check}`, `${at}.items[${n}].checks`);
            if (item.status !== 'current') add(`${b.id}.${item.key}.notice`, `${at}.items[${n}].status`);
            if (item.note) add(`${b.id}.${item.key}.note`, `${at}.items[${n}].note`);
          });
          break;
        case 'pairs':
          if (b.tool) for (const k of ['title', 'intro']) add(`${b.id}.tool.${k}`, `${at}.tool`);
          b.items.forEach((item, n) => {
            add(`${b.id}.${item.key}.term`, `${at}.items[${n}].key`);
            add(`${b.id}.${item.key}.detail`, `${at}.items[${n}].key`);
          });
          break;
        case 'decision':
          add(`${b.id}.start`, `${at}.id`);
          if (b.tool) for (const k of ['title', 'intro']) add(`${b.id}.tool.${k}`, `${at}.tool`);
          b.questions.forEach((q, n) => {
            add(`${b.id}.${q.key}.question`, `${at}.questions[${n}].key`);
            add(`${b.id}.${q.key}.no`, `${at}.questions[${n}].key`);
          });
          add(`${b.id}.yes`, `${at}.id`);
          break;
      }
    });
  });
  for (const id of ids) {
    for (const other of ids) if (other.startsWith(`${id}.`)) report('sections', `"${id}" is both a text and a group of texts ("${other}")`);
  }
  return ids;
}

function checkText(
  value: string,
  heading: boolean,
  language: Language,
  g: GuideFile,
  registry: Registry,
  allowed: (href: string) => boolean,
  report: (message: string) => void,
): Inline[] | undefined {
  let nodes: Inline[];
  try {
    nodes = parseInline(value);
  } catch (e) {
    if (e instanceof InlineError) return void report(e.message);
    throw e;
  }
  for (const id of facts(nodes)) if (!g.facts[id]) report(`{${id}} is not a fact of guide.yaml`);
  for (const href of links(nodes)) if (!allowed(href)) report(`link ${href} must be http(s) to a domain listed in guide.yaml "domains"`);
  if (heading && ([...links(nodes)].length || [...facts(nodes)].some((id) => ['phone', 'url'].includes(g.facts[id]?.kind ?? '')))) {
    report('a title is itself a link in the table of contents: it cannot hold a link, a phone number or an address');
  }
  for (const run of textRuns(nodes, language.id)) {
    const l = registry.get(run.lang);
    if (!l) {
      report(`{${run.lang}:…} names no language of locales/languages.json`);
      continue;
    }
    for (const problem of orthographyProblems(run.v, l)) report(problem);
  }
  return nodes;
}

/** Characters foreign to a language's orthography, and Arabic script in a Latin-script language. */
export function orthographyProblems(text: string, l: Language): string[] {
  const problems: string[] = [];
  for (const f of l.forbidden) {
    const found = [...text].find((ch) => f.char.includes(ch));
    if (found) problems.push(`"${found}" (U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, ${f.why}) is not ${l.name} orthography: write ${f.use}`);
  }
  if (l.script === 'Latn' && /\p{Script=Arabic}/u.test(text)) problems.push(`Arabic-script text in ${l.name}: mark it as a term such as {ar:…}`);
  return problems;
}

/** The site's own words (labels, screens) must be in a known language and its orthography. */
function checkSiteTexts(g: GuideFile, registry: Registry, report: (path: string, message: string) => void) {
  const check = (path: string, text: string | undefined, lang: string | undefined, fallback: string) => {
    if (text === undefined) return;
    const l = registry.get(lang ?? fallback);
    if (!l) return report(path, `"${lang}" is not a language of locales/languages.json`);
    for (const problem of orthographyProblems(text, l)) report(path, problem);
  };
  for (const [id, f] of Object.entries(g.facts)) if (f.kind === 'ui') check(`facts.${id}.value`, f.value, f.lang, g.siteLanguage);
  for (const [key, screen] of Object.entries(g.screens)) {
    const lang = screen.lang ?? g.siteLanguage;
    const at = `screens.${key}`;
    check(`${at}.title`, screen.title, lang, lang);
    screen.messages.forEach((m, i) => check(`${at}.messages[${i}]`, m, lang, lang));
    screen.buttons.forEach((b, i) => check(`${at}.buttons[${i}]`, b, lang, lang));
    screen.fields.forEach((f, i) => {
      check(`${at}.fields[${i}].label`, f.label, f.lang, lang);
      check(`${at}.fields[${i}].placeholder`, f.placeholder, f.lang, lang);
      if (f.also) check(`${at}.fields[${i}].also`, f.also.text, f.also.lang, lang);
      f.options?.forEach((o, k) => check(`${at}.fields[${i}].options[${k}]`, o, f.lang, lang));
    });
  }
  g.sections.forEach((s, si) =>
    s.blocks.forEach((b, bi) => {
      if (b.type !== 'steps') return;
      b.steps.forEach((st, n) => {
        const at = `sections[${si}].blocks[${bi}].steps[${n}]`;
        const refs = [
          ...st.screens.map((key, k) => [`${at}.screens[${k}]`, key]),
          ...st.branches.flatMap((br, b) => br.screens.map((key, k) => [`${at}.branches[${b}].screens[${k}]`, key])),
        ];
        for (const [path, key] of refs) if (!g.screens[key!]) report(path!, `"${key}" is not a screen of guide.yaml "screens"`);
      });
    }),
  );
}

function readYaml(path: string, file: string, report: (file: string, path: string, message: string) => void): unknown {
  if (!existsSync(path)) return void report(file, '', 'file not found');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const at = e.linePos?.[0];
      report(file, at ? `line ${at.line}, column ${at.col}` : '', `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    return undefined;
  }
  return doc.toJS();
}

/** A <locale>.yaml's nested maps of texts, as dotted id → text. */
function flattenTexts(
  tree: unknown,
  prefix: string,
  report: (path: string, message: string) => void,
  out = new Map<string, string>(),
): Map<string, string> {
  if (tree === null && !prefix) return out;
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    report(prefix, 'must be a map of texts');
    return out;
  }
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string' && v.trim()) out.set(key, v.trim());
    else if (v === null || typeof v === 'string') report(key, 'is empty');
    else if (typeof v === 'object' && !Array.isArray(v)) flattenTexts(v, key, report, out);
    else report(key, 'must be a text (quote numbers and yes/no words) or a group of texts');
  }
  return out;
}

function zodPath(path: z.core.$ZodIssue['path']): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}
