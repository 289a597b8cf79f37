import type { TFunction } from 'i18next';
import type { Catalogue, Guide } from '../content/catalogue.js';
import type { Language, Registry } from '../languages.js';
import { formatDate } from '../render/dates.js';
import { urls } from '../urls.js';
import { provenanceLine } from './provenance.js';
import { guideTexts } from './texts.js';

/** The home page's catalogue in one language: guides written in it by country, and the others with the languages they exist in. */
export function catalogueView(catalogue: Catalogue, language: Language, registry: Registry, t: TFunction, today: string) {
  const card = (g: Guide, l: Language) => {
    const { html } = guideTexts(g, l, registry);
    // A guide past its review date says so on its card too.
    const mayHaveChanged = today >= g.reviewDue ? t('guide.mayHaveChanged', { date: formatDate(g.checkedDate, l, g.country) }) : '';
    return { slug: g.slug, href: urls.guide(l, g.slug), titleHtml: html('title'), summaryHtml: html('summary'), mayHaveChanged };
  };
  const countries = [...new Set(catalogue.guides.map((g) => g.country))];
  const inLanguage = countries
    .map((c) => ({
      code: c,
      name: t(`countries.${c}`),
      guides: catalogue.guides
        .filter((g) => g.country === c && g.languages.includes(language))
        .map((g) => ({ ...card(g, language), provenance: provenanceLine(g, language, t, urls.guide(g.reference, g.slug), { card: true }) })),
    }))
    .filter((c) => c.guides.length > 0);
  // Guides not written in this language, under one heading per country, each with the languages it is in.
  const elsewhere = countries
    .map((c) => ({
      code: c,
      name: t(`countries.${c}`),
      guides: catalogue.guides
        .filter((g) => g.country === c && !g.languages.includes(language))
        .map((g) => ({ slug: g.slug, versions: g.languages.map((l) => ({ ...card(g, l), lang: l.lang, dir: l.dir, languageName: l.name })) })),
    }))
    .filter((c) => c.guides.length > 0);
  const tools = catalogue.tools
    .filter((tool) => tool.guide.languages.includes(language))
    .map((tool) => {
      const { html } = guideTexts(tool.guide, language, registry);
      return {
        id: tool.id,
        href: urls.tool(language, tool.id),
        titleHtml: html(`${tool.block.id}.tool.title`),
        summaryHtml: html(`${tool.block.id}.tool.intro`),
      };
    });
  return { countries: inLanguage, elsewhere, tools };
}
