import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { urls } from '../urls.js';

export interface Asset {
  url: string;
  body: Buffer;
  type: string;
}

/** The stylesheet and the script under names that change with their content, so browsers keep them for a year. */
export function fingerprintAssets(publicDir: string) {
  const asset = (file: string, type: string): Asset => {
    const body = readFileSync(join(publicDir, file));
    const hash = createHash('sha1').update(body).digest('hex').slice(0, 10);
    return { url: urls.asset(file.replace(/\.(\w+)$/, `.${hash}.$1`)), body, type };
  };
  const css = asset('css/site.css', 'text/css; charset=utf-8');
  const js = asset('js/present.js', 'text/javascript; charset=utf-8');
  const offline = asset('js/offline.js', 'text/javascript; charset=utf-8');
  const feedback = asset('js/feedback.js', 'text/javascript; charset=utf-8');
  return { css, js, offline, feedback, byUrl: new Map([css, js, offline, feedback].map((a) => [a.url, a])) };
}

export type Assets = ReturnType<typeof fingerprintAssets>;
