import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { urls } from '../urls.js';

export interface Asset {
  url: string;
  body: Buffer;
  type: string;
}

/** Each asset a page may link, by the name templates use (`assets.listen`), and its file under public/. */
const files = {
  css: 'css/site.css',
  js: 'js/present.js',
  offline: 'js/offline.js',
  feedback: 'js/feedback.js',
  listen: 'js/listen.js',
  share: 'js/share.js',
  checker: 'js/checker.js',
} as const;

export type AssetName = keyof typeof files;

/** The stylesheet and the scripts under names that change with their content, so browsers keep them for a year. */
export function fingerprintAssets(publicDir: string) {
  const types: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };
  const asset = (file: string): Asset => {
    const body = readFileSync(join(publicDir, file));
    const hash = createHash('sha1').update(body).digest('hex').slice(0, 10);
    return { url: urls.asset(file.replace(/\.(\w+)$/, `.${hash}.$1`)), body, type: types[file.split('.').at(-1) ?? ''] ?? 'application/octet-stream' };
  };
  const named = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, asset(file)])) as Record<AssetName, Asset>;
  const all = Object.values(named);
  return {
    ...named,
    all,
    urls: Object.fromEntries(Object.entries(named).map(([n, a]) => [n, a.url])) as Record<AssetName, string>,
    byUrl: new Map(all.map((a) => [a.url, a])),
  };
}

export type Assets = ReturnType<typeof fingerprintAssets>;
