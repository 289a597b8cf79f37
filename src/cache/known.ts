import type { Catalogue, Guide, Tool } from '../content/catalogue.js';
import type { Language, Registry } from '../languages.js';
import type { Assets } from '../render/assets.js';
import { answerRuns } from '../tools/decision.js';
import { urls } from '../urls.js';

export interface KnownPage {
  url: string;
  /** For the language picker: the language it is rendered for. */
  acceptLanguage?: string;
  /** The guides whose review date changes the page (it then says the site may have changed). */
  guides: Guide[];
}

/**
 * The pages that are a pure function of their address, which the build renders once per release:
 * the picker (per language), homes, guides, handouts, help-desk screens, tools and their answers
 * where they are few (a decision chart's paths, a referral table's rows), offline pages and their
 * lists, manifests, the service worker and the assets. A static edition adds every guide beside
 * each of its other languages and the 404 pages (`edition: 'static'`).
 */
export function knownPages(catalogue: Catalogue, registry: Registry, assets: Assets, edition: 'server' | 'static' = 'server'): KnownPage[] {
  const all = catalogue.guides;
  const beside = (g: Guide, l: Language) => (edition === 'static' ? [undefined, ...g.languages.filter((o) => o !== l)] : [undefined]);
  return [
    ...registry.all.map((l) => ({ url: urls.picker, acceptLanguage: l.lang, guides: [] })),
    ...registry.all.map((l) => ({ url: urls.home(l), guides: all })),
    ...catalogue.guides.flatMap((g) =>
      g.languages.flatMap((l) =>
        beside(g, l).flatMap((other) => [
          { url: urls.guide(l, g.slug, other), guides: [g] },
          { url: urls.print(l, g.slug, other), guides: [g] },
          ...Array.from({ length: g.parts.length }, (_, i) => ({ url: urls.present(l, g.slug, i + 1, other), guides: [g] })),
        ]),
      ),
    ),
    ...catalogue.tools.flatMap((t) => t.guide.languages.flatMap((l) => toolPages(t, l).map((url) => ({ url, guides: [t.guide] })))),
    ...registry.all.flatMap((l) => [urls.offline(l), urls.offlineList(l), urls.manifest(l)].map((url) => ({ url, guides: [] }))),
    ...(edition === 'static' ? [urls.notFound(), ...registry.all.map((l) => urls.notFound(l))].map((url) => ({ url, guides: [] })) : []),
    { url: urls.worker, guides: [] },
    { url: urls.icon, guides: [] },
    ...assets.all.map((a) => ({ url: a.url, guides: [] })),
  ];
}

/**
 * A tool's page and the answers it can give when they are few, each as the tool's own form writes
 * its query: a decision chart's every path (yes… then no, or all yes), a table's every row. The
 * provider checker's combinations are too many: only its page.
 */
export function toolAnswers(tool: Tool): string[] {
  const block = tool.block;
  if (block.type === 'decision') {
    return answerRuns(block.questions).map((run) => (run.length ? `?${run.map((a, i) => `${block.questions[i]!.key}=${a}`).join('&')}` : ''));
  }
  if (block.type === 'pairs') return ['', ...block.items.map((item) => `?profile=${item.key}`)];
  return [''];
}

/** A tool's page and its few answers in a language (what is kept with its guide for offline reading). */
export function toolPages(tool: Tool, language: Language): string[] {
  return toolAnswers(tool).map((search) => urls.tool(language, tool.id, search));
}

/** The day (ISO) from which a page known at build time must be made again: the first review date after it was built. */
export function validUntil(page: KnownPage, built: string): string | null {
  const due = page.guides
    .map((g) => g.reviewDue)
    .filter((d) => d > built)
    .sort();
  return due[0] ?? null;
}
