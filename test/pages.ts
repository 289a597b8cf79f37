import { urls } from '../src/urls.js';
import { realSite } from './helpers.js';

/** Every page type in every language it exists in: the crawl the browser gates run over. */
export async function allPages(): Promise<string[]> {
  const { catalogue, registry } = await realSite();
  const pages: string[] = [urls.picker];
  const zz = { id: 'zz' };
  for (const l of registry.all) pages.push(urls.home(l), urls.offline(l), urls.guide(l, 'nope'), urls.tool(l, 'orientation', '?has-login=yes'));
  // The readers' report forms and thank-you pages, and the editors' sign-in page.
  for (const g of catalogue.guides) for (const l of g.languages) pages.push(urls.report(l, g.slug, 1), urls.thanks(l, { guide: g.slug, step: 1 }));
  for (const tool of catalogue.tools) for (const l of tool.guide.languages) pages.push(urls.toolReport(l, tool.id));
  pages.push(urls.editor.signIn);
  for (const g of catalogue.guides) {
    for (const l of g.languages) {
      const other = g.languages.find((o) => o !== l)!;
      pages.push(
        urls.guide(l, g.slug),
        urls.print(l, g.slug),
        urls.guide(l, g.slug, other),
        urls.present(l, g.slug, 1),
        urls.present(l, g.slug, g.stepCount, other),
        urls.guide(l, g.slug, zz),
      );
    }
  }
  const results: Record<string, string> = {
    checklists: '?has=tax-number&has=reference-tax-income&has=online-access-number&has=smartphone&answered=1',
    pairs: '?profile=asylum-seeker',
    decision: '?knows-site=yes&has-account=no',
  };
  for (const tool of catalogue.tools) {
    for (const l of tool.guide.languages) pages.push(urls.tool(l, tool.id), urls.tool(l, tool.id, results[tool.block.type]));
  }
  return pages;
}
