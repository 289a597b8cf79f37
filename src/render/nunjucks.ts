import nunjucks from 'nunjucks';
import { breakableUrl } from './html.js';

/**
 * The Nunjucks environment: autoescape on, undefined output is an error, templates cached outside
 * development. One filter: `urlBreaks`, an address written out with break points after dots and slashes.
 */
export function createViews(viewsDir: string, development: boolean): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(viewsDir, { noCache: development }), {
    autoescape: true,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter('urlBreaks', (text: string) => new nunjucks.runtime.SafeString(breakableUrl(String(text))));
  return env;
}
