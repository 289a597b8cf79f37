import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Encoding } from './encoding.js';
import { type Entry, newEntry } from './entry.js';

/**
 * A release directory: every page that is a pure function of its address, rendered once per
 * release by the build, as files (`<path>/index.html` and `.gz`, `.br` beside it, assets under
 * their own names) and an index (`index.json`) of the headers each is answered with. The server
 * answers these pages from here; a static web server can serve the same files (npm run export).
 */
export const RELEASE_INDEX = 'index.json';
const SUFFIX = { identity: '', gzip: '.gz', br: '.br' } as const;

/** What the pages of a release depend on besides their address: a server with another config renders its own. */
export interface ReleaseConfig {
  baseUrl: string;
  feedback: boolean;
}

export interface ReleaseIndex {
  format: 1;
  /** The release version (content, strings, templates, assets, code) the pages were made from. */
  version: string;
  config: ReleaseConfig;
  /** The day it was built (ISO), for the edition's README and the freshness notices. */
  built: string;
  edition: 'server' | 'static';
  /**
   * The folder of the pages, under the release directory: the version for a server's release (a
   * new build writes beside it and then replaces the index, so that copies still running the old
   * one keep reading their own files); '' for a static edition, whose files are its site.
   */
  files: string;
  /** Header sets, each written once: pages refer to them by position. */
  headers: Array<Record<string, string | string[]>>;
  /** By cache key: [file, status, header set, strong validator, valid until (ISO day, exclusive) or null]. */
  pages: Record<string, [string, number, number, string, string | null]>;
}

export interface ReleasePage {
  file: string;
  status: number;
  headers: Record<string, string | string[]>;
  tag: string;
  until: string | null;
}

export interface Release {
  dir: string;
  index: ReleaseIndex;
  /** The checked content the pages were made from (content/snapshot.ts), in a server's release. */
  snapshot: string;
  /** The page of a key, while it is still valid on that day (a page showing a review notice from a later day is not). */
  find(key: string, today: string): ReleasePage | undefined;
  /** The page as a cache entry that reads each of its three encodings from disk when first sent. */
  load(page: ReleasePage): Entry;
}

/** The release in a directory, or undefined when it has none (or one of another format). */
export function openRelease(dir: string): Release | undefined {
  let index: ReleaseIndex;
  try {
    index = JSON.parse(readFileSync(join(dir, RELEASE_INDEX), 'utf8')) as ReleaseIndex;
  } catch {
    return undefined;
  }
  if (index.format !== 1) return undefined;
  return {
    dir,
    index,
    snapshot: join(dir, index.files, 'content'),
    find(key, today) {
      const p = index.pages[key];
      if (!p || (p[4] !== null && today >= p[4])) return undefined;
      return { file: p[0], status: p[1], headers: index.headers[p[2]]!, tag: p[3], until: p[4] };
    },
    load(page) {
      const path = join(dir, index.files, page.file);
      const read = (encoding: Encoding) => readFileSync(path + SUFFIX[encoding]);
      return newEntry({ status: page.status, headers: page.headers, tag: page.tag, identity: undefined, gzip: undefined, read });
    },
  };
}

/**
 * The file of a page: an address ending in a name with an extension is that file; any other is a
 * folder's index.html; an answer of a tool, `<path>/<query>.html` with the query as the tool's own
 * forms write it (so that a static server can find it by its query string). The language picker,
 * negotiated, has one file per language: index.html for the first, index.<id>.html for the others.
 */
export function pageFile(url: string, pickerLanguage?: { id: string; first: boolean }): string {
  const q = url.indexOf('?');
  const path = decodeURIComponent(q < 0 ? url : url.slice(0, q)).replace(/^\/+/, '');
  if (q >= 0) return `${path}/${url.slice(q + 1)}.html`;
  if (pickerLanguage && !pickerLanguage.first) return `${path}index.${pickerLanguage.id}.html`;
  if (path === '' || path.endsWith('/')) return `${path}index.html`;
  return /\.[a-z0-9]+$/i.test(path.split('/').at(-1)!) ? path : `${path}/index.html`;
}

/** Writes a page's bytes and its gzip (9) and brotli (11) beside it. */
export function writePageFiles(dir: string, file: string, body: Buffer): void {
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  );
}

/** Writes the index last: a directory without one is no release (a build that stopped half-way is not taken for one). */
export function writeReleaseIndex(dir: string, index: ReleaseIndex): void {
  writeFileSync(join(dir, RELEASE_INDEX), `${JSON.stringify(index)}\n`);
}

/** A production server without a usable release: it says which command makes one. */
export class ReleaseError extends Error {}

/** What of a server's configuration its pages depend on. */
export const releaseConfig = (config: { baseUrl: string; feedback: { enabled: boolean } }): ReleaseConfig => ({
  baseUrl: config.baseUrl,
  feedback: config.feedback.enabled,
});

/**
 * Why a release cannot serve this server, if it cannot: missing, made from other content or code
 * (`stale`: the server must not answer old pages), or for another address or feedback setting
 * (`other`: its pages are right, but not for this server).
 */
export function releaseProblem(
  release: Release | undefined,
  version: string,
  config: ReleaseConfig,
): { kind: 'missing' | 'stale' | 'other'; message: string } | undefined {
  if (!release) return { kind: 'missing', message: 'there is no release' };
  const r = release.index;
  if (r.version !== version)
    return { kind: 'stale', message: `the release was built from other content or code (release ${r.version}, this server ${version})` };
  if (r.config.baseUrl !== config.baseUrl || r.config.feedback !== config.feedback) {
    return {
      kind: 'other',
      message: `the release was built for BASE_URL=${r.config.baseUrl} FEEDBACK=${r.config.feedback ? 'on' : 'off'}, this server has BASE_URL=${config.baseUrl} FEEDBACK=${config.feedback ? 'on' : 'off'}`,
    };
  }
  return undefined;
}
