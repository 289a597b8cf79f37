import { urls } from '../src/urls.js';
import { realSite } from './helpers.js';

/**
 * One page of the crawl: its address, the kind of page (which names its template), its language,
 * and what it shows (a guide or a tool) when its content is its own.
 */
export interface CrawlPage {
  path: string;
  kind: keyof typeof TEMPLATES;
  language: string;
  subject?: string;
}

/** Each kind of page and the template that renders it. */
export const TEMPLATES = {
  picker: 'pages/picker.njk',
  home: 'pages/home.njk',
  offline: 'pages/offline.njk',
  'guide-not-found': 'pages/error.njk',
  'tool-bad-answers': 'pages/error.njk',
  'guide-bad-language': 'pages/error.njk',
  report: 'pages/report.njk',
  'tool-report': 'pages/report.njk',
  thanks: 'pages/thanks.njk',
  'editor-sign-in': 'editor/sign-in.njk',
  guide: 'pages/guide.njk',
  handout: 'pages/guide.njk',
  bilingual: 'pages/guide.njk',
  present: 'pages/present.njk',
  'present-bilingual': 'pages/present.njk',
  tool: 'pages/tool.njk',
  'tool-answer': 'pages/tool.njk',
} as const;

/** Kinds whose content is the guide's or the tool's own: every guide and tool in every one of its languages. */
const OWN_CONTENT = new Set<CrawlPage['kind']>(['guide', 'tool', 'tool-answer']);
/**
 * Other renderings of a guide's content (the handout, beside another language, a help-desk step):
 * one per language, each language showing another guide, so that every guide and every language
 * is met (the guide page itself meets every pair).
 */
const RENDERINGS = new Set<CrawlPage['kind']>(['handout', 'bilingual', 'present']);

/** A guide for each language, every guide used once where there are as many languages as guides (fewest languages first). */
function rotation(pages: CrawlPage[]): Map<string, string> {
  const languagesOf = new Map<string, Set<string>>();
  for (const p of pages.filter((p) => p.kind === 'guide')) languagesOf.set(p.subject!, (languagesOf.get(p.subject!) ?? new Set()).add(p.language));
  const chosen = new Map<string, string>();
  const guides = [...languagesOf].sort((a, b) => a[1].size - b[1].size);
  for (const [guide, languages] of guides) {
    const free = [...languages].find((l) => !chosen.has(l));
    if (free) chosen.set(free, guide);
  }
  for (const [guide, languages] of guides) for (const l of languages) if (!chosen.has(l)) chosen.set(l, guide);
  return chosen;
}

/** Every page type in every language it exists in, for every guide and tool: the crawl html-validate runs over. */
export async function crawl(): Promise<CrawlPage[]> {
  const { catalogue, registry } = await realSite();
  const pages: CrawlPage[] = [{ path: urls.picker, kind: 'picker', language: '' }];
  const zz = { id: 'zz' };
  for (const l of registry.all) {
    const language = l.id;
    pages.push(
      { path: urls.home(l), kind: 'home', language },
      { path: urls.offline(l), kind: 'offline', language },
      { path: urls.guide(l, 'nope'), kind: 'guide-not-found', language },
      { path: urls.tool(l, 'orientation', '?has-login=yes'), kind: 'tool-bad-answers', language },
    );
  }
  // The readers' report forms and thank-you pages, and the editors' sign-in page.
  for (const g of catalogue.guides) {
    for (const l of g.languages) {
      pages.push(
        { path: urls.report(l, g.slug, 1), kind: 'report', language: l.id, subject: g.slug },
        { path: urls.thanks(l, { guide: g.slug, step: 1 }), kind: 'thanks', language: l.id, subject: g.slug },
      );
    }
  }
  for (const tool of catalogue.tools)
    for (const l of tool.guide.languages) pages.push({ path: urls.toolReport(l, tool.id), kind: 'tool-report', language: l.id, subject: tool.id });
  pages.push({ path: urls.editor.signIn, kind: 'editor-sign-in', language: 'fr' });
  for (const g of catalogue.guides) {
    for (const l of g.languages) {
      const other = g.languages.find((o) => o !== l)!;
      const page = (path: string, kind: CrawlPage['kind']) => pages.push({ path, kind, language: l.id, subject: g.slug });
      page(urls.guide(l, g.slug), 'guide');
      page(urls.print(l, g.slug), 'handout');
      page(urls.guide(l, g.slug, other), 'bilingual');
      page(urls.present(l, g.slug, 1), 'present');
      page(urls.present(l, g.slug, g.stepCount, other), 'present-bilingual');
      page(urls.guide(l, g.slug, zz), 'guide-bad-language');
    }
  }
  const results: Record<string, string> = {
    checklists: '?has=tax-number&has=reference-tax-income&has=online-access-number&has=smartphone&answered=1',
    pairs: '?profile=asylum-seeker',
    decision: '?knows-site=yes&has-account=no',
  };
  for (const tool of catalogue.tools) {
    for (const l of tool.guide.languages) {
      pages.push(
        { path: urls.tool(l, tool.id), kind: 'tool', language: l.id, subject: tool.id },
        { path: urls.tool(l, tool.id, results[tool.block.type]), kind: 'tool-answer', language: l.id, subject: tool.id },
      );
    }
  }
  return pages;
}

/** Every page of the crawl, by address. */
export const allPages = async () => (await crawl()).map((p) => p.path);

/**
 * The pages the browser gates check: each guide and tool page in each of its languages (and so each
 * direction), each other rendering of a guide (handout, bilingual, help-desk step) once per
 * language with every guide met, and one page of every other kind in every language (a report
 * form is the same template for every step of every guide). test/unit/pages.test.ts proves the set
 * covers every kind, template and language of the whole crawl.
 */
export async function browserPages(): Promise<CrawlPage[]> {
  const pages = await crawl();
  const guideFor = rotation(pages);
  const seen = new Set<string>();
  return pages.filter((p) => {
    if (RENDERINGS.has(p.kind) && p.subject !== guideFor.get(p.language)) return false;
    const key = OWN_CONTENT.has(p.kind) ? `${p.kind} ${p.subject} ${p.language}` : `${p.kind} ${p.language}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One of `of` shares of the browser pages, so that each test worker checks its own. */
export async function browserShare(share: number, of: number): Promise<string[]> {
  return (await browserPages()).filter((_, i) => i % of === share).map((p) => p.path);
}
