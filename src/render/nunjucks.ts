import nunjucks from 'nunjucks';

/** The Nunjucks environment: autoescape on, undefined output is an error, templates cached outside development. */
export function createViews(viewsDir: string, development: boolean): nunjucks.Environment {
  return new nunjucks.Environment(new nunjucks.FileSystemLoader(viewsDir, { noCache: development }), {
    autoescape: true,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
}
