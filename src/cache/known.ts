import type { Catalogue } from '../content/catalogue.js';
import type { Registry } from '../languages.js';
import type { Assets } from '../render/assets.js';
import { urls } from '../urls.js';

export interface KnownPage {
  url: string;
  /** For the language picker: the language it is rendered for. */
  acceptLanguage?: string;
  /** Rendered just after the server says it is ready, not before. */
  later?: boolean;
}

/**
 * The pages known at start, each a pure function of its address: those a reader lands on (picker,
 * homes, guides, tools) are rendered before the server says it is ready; handouts, help-desk steps
 * and offline pages right after; the assets with them. The cache keeps all of them for good.
 */
export function knownPages(catalogue: Catalogue, registry: Registry, assets: Assets): KnownPage[] {
  return [
    ...registry.all.map((l) => ({ url: urls.picker, acceptLanguage: l.lang })),
    ...registry.all.map((l) => ({ url: urls.home(l) })),
    ...catalogue.guides.flatMap((g) =>
      g.languages.flatMap((l) => [
        { url: urls.guide(l, g.slug) },
        { url: urls.print(l, g.slug), later: true },
        ...Array.from({ length: g.stepCount }, (_, i) => ({ url: urls.present(l, g.slug, i + 1), later: true })),
      ]),
    ),
    ...catalogue.tools.flatMap((t) => t.guide.languages.map((l) => ({ url: urls.tool(l, t.id) }))),
    ...registry.all.map((l) => ({ url: urls.offline(l), later: true })),
    ...assets.all.map((a) => ({ url: a.url })),
  ];
}
