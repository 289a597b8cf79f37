import { realSite } from './helpers.js';

/** Every page type in every language it exists in: the crawl the browser gates run over. */
export async function allPages(): Promise<string[]> {
  const { catalogue, registry } = await realSite();
  const pages = ['/'];
  for (const l of registry.all) pages.push(`/${l.id}/`, `/${l.id}/offline`, `/${l.id}/guides/nope`, `/${l.id}/tools/orientation?has-login=yes`);
  for (const g of catalogue.guides) {
    for (const l of g.languages) {
      const base = `/${l.id}/guides/${g.slug}`;
      const other = g.languages.find((o) => o !== l)!;
      pages.push(base, `${base}/print`, `${base}?with=${other.id}`, `${base}/present/1`, `${base}/present/${g.stepCount}?with=${other.id}`, `${base}?with=zz`);
    }
  }
  const results: Record<string, string> = {
    checklists: 'has=tax-number&has=reference-tax-income&has=online-access-number&has=smartphone&answered=1',
    pairs: 'profile=asylum-seeker',
    decision: 'knows-site=yes&has-account=no',
  };
  for (const tool of catalogue.tools) {
    for (const l of tool.guide.languages) pages.push(`/${l.id}/tools/${tool.id}`, `/${l.id}/tools/${tool.id}?${results[tool.block.type]}`);
  }
  return pages;
}
