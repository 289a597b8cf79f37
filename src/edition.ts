import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { Agent, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { cacheKey } from './cache/key.js';
import { type KnownPage, validUntil } from './cache/known.js';
import { openRelease, pageFile, type ReleaseIndex, releaseConfig, writePageFiles, writeReleaseIndex } from './cache/release.js';
import { loadConfig } from './config.js';
import type { Catalogue } from './content/catalogue.js';
import { links } from './content/markup.js';
import { writeSnapshot } from './content/snapshot.js';
import { createHandler } from './handler.js';
import { releaseVersion } from './release.js';
import { loadSite } from './site.js';

/** What one worker renders: a share of the known pages, into the folder of the pages. */
export interface Share {
  root: string;
  env: Record<string, string | undefined>;
  edition: 'server' | 'static';
  pages: string[];
  /** Where the pages' files go. */
  folder: string;
  built: string;
}

/** A page as rendered: its key, file, status, headers (those that do not depend on the encoding) and validator. */
export type Rendered = [key: string, file: string, status: number, headers: Record<string, string | string[]>, tag: string, until: string | null];

/** Headers a static copy cannot keep as they are: Node's own, the encoding's, and the validators (each server makes its own). */
const NOT_KEPT = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'etag',
  'last-modified',
  'accept-ranges',
]);

/**
 * Renders a share of the known pages through the app itself, over loopback, and writes each with
 * its gzip and brotli: the bytes a reader gets are the app's, by construction. Runs in a worker.
 */
export async function renderShare(share: Share): Promise<Rendered[]> {
  const config = loadConfig(share.env);
  const site = await loadSite(share.root, config.paths.content);
  const { handle, shapes, known } = createHandler({
    config,
    site,
    logger: pino({ level: 'silent' }),
    edition: share.edition,
    clock: () => new Date(`${share.built}T12:00:00Z`),
  });
  const wanted = new Set(share.pages);
  const server = createServer(shapes ?? {}, handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const fetch = (page: KnownPage) =>
    new Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }>((done, fail) => {
      const headers = { 'accept-encoding': 'identity', ...(page.acceptLanguage ? { 'accept-language': page.acceptLanguage } : {}) };
      get({ host: '127.0.0.1', port, path: page.url, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const kept: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !NOT_KEPT.has(name)) kept[name] = value;
          done({ status: res.statusCode!, headers: kept, body: Buffer.concat(chunks) });
        });
      }).on('error', fail);
    });
  const first = site.registry.all[0]!;
  const out: Rendered[] = [];
  try {
    for (const page of known.filter((k) => wanted.has(pageId(k)))) {
      const { status, headers, body } = await fetch(page);
      const expected = page.url.endsWith('/404') ? 404 : 200;
      if (status !== expected) throw new Error(`${page.url} answered ${status}, not ${expected}`);
      const language = page.acceptLanguage ? site.registry.all.find((l) => l.lang === page.acceptLanguage) : undefined;
      const file = pageFile(page.url, language && { id: language.id, first: language === first });
      writePageFiles(share.folder, file, body);
      const tag = createHash('sha1').update(body).digest('base64url').slice(0, 22);
      out.push([cacheKey(page.url, page.acceptLanguage, site.registry)!, file, status, headers, tag, validUntil(page, share.built)]);
    }
  } finally {
    agent.destroy();
    server.close();
  }
  return out;
}

/** A known page's identity among the others (the picker is one per language). */
export const pageId = (k: KnownPage) => `${k.url} ${k.acceptLanguage ?? ''}`;

/**
 * Renders an edition of the site into `out`: every known page, rendered and compressed by as many
 * workers as the machine has cores, then the index. A server's release keeps its pages in a
 * folder named after the version (and the one before it, for copies still running it); a static
 * edition writes them at the top, as its site.
 */
export async function renderEdition(options: {
  root: string;
  env: Record<string, string | undefined>;
  out: string;
  edition: 'server' | 'static';
  today?: string;
  /**
   * The guides whose texts changed since the release in `out` (an editor's publish): only the pages
   * that depend on them are rendered; the others are taken from that release's folder as they are.
   */
  changed?: readonly string[];
}) {
  const { root, env, edition } = options;
  const out = resolve(root, options.out);
  const config = loadConfig(env);
  const site = await loadSite(root, config.paths.content);
  const version = releaseVersion(root, '', undefined, site.contentDir);
  const built = options.today ?? new Date().toISOString().slice(0, 10);
  const files = edition === 'server' ? version : '';
  const { known } = createHandler({ config, site, logger: pino({ level: 'silent' }), edition });
  const existing = openRelease(out)?.index;
  // A server's release already made today from the same content, code and configuration is the
  // very one this build would make: it is kept as it is.
  if (
    edition === 'server' &&
    existing?.version === version &&
    existing.built === built &&
    JSON.stringify(existing.config) === JSON.stringify(releaseConfig(config)) &&
    existsSync(join(out, files, 'content'))
  ) {
    return { index: existing, out, site, config, known, rebuilt: false };
  }
  const previous = existing?.files;
  const folder = join(out, files);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  // A release of what changed: the pages of the other guides (none of their guides changed, nor
  // links to one) are the files of the release there, made today with the same configuration.
  const base =
    edition === 'server' &&
    options.changed &&
    existing &&
    existing.built === built &&
    JSON.stringify(existing.config) === JSON.stringify(releaseConfig(config)) &&
    existsSync(join(out, existing.files))
      ? existing
      : undefined;
  const stale = dependents(site.catalogue, options.changed ?? []);
  const keyOf = (k: KnownPage) => cacheKey(k.url, k.acceptLanguage, site.registry)!;
  const reused = base ? known.filter((k) => k.guides.length > 0 && k.guides.every((g) => !stale.has(g.slug)) && base.pages[keyOf(k)]) : [];
  const taken = new Set(reused.map(pageId));
  const ids = known.map(pageId).filter((id) => !taken.has(id));
  const workers = Math.max(1, Math.min(availableParallelism(), 4));
  const shares = Array.from({ length: workers }, (_, w) => ids.filter((_, i) => i % workers === w));
  const results = await Promise.all(
    shares.map(
      (pages) =>
        new Promise<Rendered[]>((done, fail) => {
          const share: Share = { root, env, edition, pages, folder, built };
          const worker = new Worker(new URL('./edition-worker.js', import.meta.url), { workerData: share });
          worker.once('message', done);
          worker.once('error', fail);
          worker.once('exit', (code) => code !== 0 && fail(new Error(`a rendering worker stopped with ${code}`)));
        }),
    ),
  );
  const copies: Rendered[] = reused.map((k) => {
    const [file, status, headers, tag, until] = base!.pages[keyOf(k)]!;
    for (const suffix of ['', '.gz', '.br']) {
      mkdirSync(dirname(join(folder, file)), { recursive: true });
      const from = join(out, base!.files, file + suffix);
      try {
        linkSync(from, join(folder, file + suffix));
      } catch {
        copyFileSync(from, join(folder, file + suffix));
      }
    }
    return [keyOf(k), file, status, base!.headers[headers]!, tag, until];
  });
  const headerSets: string[] = [];
  const pages: ReleaseIndex['pages'] = {};
  for (const [key, file, status, headers, tag, until] of [...results.flat(), ...copies]) {
    const json = JSON.stringify(headers);
    let i = headerSets.indexOf(json);
    if (i < 0) i = headerSets.push(json) - 1;
    pages[key] = [file, status, i, tag, until];
  }
  const index: ReleaseIndex = {
    format: 1,
    version,
    config: releaseConfig(config),
    built,
    edition,
    files,
    headers: headerSets.map((h) => JSON.parse(h) as Record<string, string | string[]>),
    pages,
  };
  // The checked content, for servers of this release to start without checking it again.
  if (edition === 'server') writeSnapshot(join(folder, 'content'), site.catalogue);
  writeReleaseIndex(out, index);
  // A server's release keeps the folder of the version before (copies may still be running it), no older one.
  if (edition === 'server') {
    for (const d of readdirSync(out, { withFileTypes: true })) {
      if (d.isDirectory() && d.name !== version && d.name !== previous) rmSync(join(out, d.name), { recursive: true, force: true });
    }
  }
  return { index, out, site, config, known, rebuilt: true, reused: reused.length };
}

/** The changed guides and the guides whose pages link to one of them or to one of their tools (they show its title). */
function dependents(catalogue: Catalogue, changed: readonly string[]): Set<string> {
  const out = new Set(changed);
  const touched = (ref: string) => {
    const target = catalogue.resolve(ref);
    return target !== undefined && changed.includes(target.kind === 'guide' ? target.guide.slug : target.tool.guide.slug);
  };
  for (const guide of catalogue.guides) {
    const refs = [...guide.texts.values()].flatMap((texts) => [...texts.values()].flatMap((nodes) => [...links(nodes)]));
    for (const section of guide.sections) for (const block of section.blocks) if (block.type === 'decision') refs.push(...Object.values(block.links).flat());
    if (refs.some(touched)) out.add(guide.slug);
  }
  return out;
}
