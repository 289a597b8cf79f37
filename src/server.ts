import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { openRelease, type Release, ReleaseError, releaseConfig, releaseProblem } from './cache/release.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/read.js';
import type { Checked } from './content/snapshot.js';
import { recoverPublish } from './editing/publish.js';
import { renderEdition } from './edition.js';
import { createHandler } from './handler.js';
import { clientErrorHandler } from './http/client-error.js';
import { createGuardedServer } from './http/connections.js';
import { releaseVersion } from './release.js';
import type { Lifecycle } from './routes/health.js';
import { loadSite, type Site } from './site.js';
import { openStore } from './store/db.js';
import { prune } from './store/feedback.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The process's limit of open descriptors (Linux), or undefined where it cannot be read. */
function descriptorLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The release directory the build made (npm run build): pages already rendered and compressed.
 * Missing, or made from other content or code: production refuses to start (it would answer old
 * pages, or pay at every start what the build pays once), development renders on demand. Made for
 * another address or feedback setting: pages are rendered on demand, with a warning.
 */
function useRelease(release: Release | undefined, version: string, config: Config, logger: Logger): Release | undefined {
  const dir = resolve(root, config.paths.release);
  const problem = releaseProblem(release, version, releaseConfig(config));
  if (!problem) return release;
  const command = `npm run build (with the same CONTENT_DIR, RELEASE_DIR, BASE_URL and FEEDBACK as the server)`;
  if (problem.kind !== 'other' && config.env === 'production') {
    throw new ReleaseError(`${problem.message} in ${dir}.\nBuild it first: ${command}.`);
  }
  logger.warn({ release: dir }, `${problem.message}: pages are rendered on demand. To serve them from a release: ${command}`);
  return undefined;
}

async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: undefined });
  // Lifecycle events (listening, shutting down, stopped) are printed at any level but silent:
  // operators and tests read them even when requests are not logged (LOG_LEVEL=warn).
  const lifecycleLog = pino({ level: config.logLevel === 'silent' ? 'silent' : 'info', base: undefined });
  // The feedback store: SQLite in a file by default, PostgreSQL when copies share one. Reading
  // never waits on it: if it cannot be used (at start, or later), the server serves pages, reports
  // and /editor get a "try later", and it is tried again in the background until it works.
  const store = config.feedback.enabled
    ? openStore(config.feedback.database, root, (error, more) =>
        logger.warn(
          { err: error, store: config.feedback.database.kind, failuresSinceLastWarning: more },
          'the feedback store cannot be used: reports and /editor answer 503 until it can',
        ),
      )
    : undefined;
  // A publish a stopped process left half done (its intent recorded) is finished before the content is read.
  if (store && (await store.available())) {
    const finished = await recoverPublish({ store, contentDir: resolve(root, config.paths.content) }).catch((error: unknown) => {
      logger.error({ err: error }, 'a publish left half done could not be finished');
      return undefined;
    });
    if (finished) lifecycleLog.info({ changeSet: finished }, 'a publish left half done by a stopped process was finished');
  }
  // Content is checked at every start: the release's snapshot of it when the content is the very
  // one the build checked (same version), else every file is read and checked here (broken content
  // stops the server, naming file, field and problem). Pages are not rendered.
  const found = openRelease(resolve(root, config.paths.release));
  const version = releaseVersion(root, '', undefined, resolve(root, config.paths.content));
  const site = await loadSite(root, config.paths.content, found?.index.version === version ? found.snapshot : undefined);
  const release = useRelease(found, version, config, logger);
  const lifecycle: Lifecycle = { ready: false };
  if (store) {
    const ready = async () => {
      if (!(await store.available())) return void setTimeout(() => void ready(), 2_000).unref();
      const pruned = await prune(store, config.feedback.retentionDays).catch(() => undefined);
      lifecycleLog.info({ store: store.dialect, ...pruned }, 'feedback store ready; old handled reports pruned');
    };
    await ready();
  }
  // The live state: content, release and page cache in one value, read once per request. An
  // editor's publish makes a new one (reload) and swaps it in: answers in flight finish on the old.
  const make = (current: Site, from: Release | undefined) =>
    createHandler({ config, site: current, logger, lifecycle, reload, ...(store ? { store } : {}), ...(from ? { release: from } : {}) });
  let live: ReturnType<typeof createHandler> & { site: Site } = { ...make(site, release), site };
  // Releases of published content are built one after the other, each from the one before.
  let building = Promise.resolve();
  async function reload(changed?: readonly string[], checked?: Checked) {
    const next = await loadSite(root, config.paths.content, undefined, checked);
    live = { ...make(next, undefined), site: next };
    lifecycleLog.info({ guides: next.catalogue.guides.length }, 'content published: served from now on (pages rendered as asked)');
    // A server that serves a release gets the new content's release (the pages of what changed
    // rendered, the others taken from the release before), built in the background on worker
    // threads, then served from; the folder of the version before stays for answers in flight.
    if (!release) return;
    building = building.then(async () => {
      const built = await renderEdition({ root, env: process.env, out: config.paths.release, edition: 'server', ...(changed ? { changed } : {}) }).catch(
        (error: unknown) => {
          logger.warn({ err: error }, 'the release of the published content could not be built: pages are rendered as asked');
          return undefined;
        },
      );
      const found = built && openRelease(resolve(root, config.paths.release));
      if (found && live.site === next) {
        live = { ...make(next, found), site: next };
        lifecycleLog.info(
          { release: found.index.version, pagesRendered: Object.keys(found.index.pages).length - (built.reused ?? 0) },
          'release of the published content ready',
        );
      }
    });
  }
  const { shapes } = live;
  const handle = (req: IncomingMessage, res: ServerResponse) => live.handle(req, res);

  // Connections never take the last descriptors: files and the store need some too.
  const limits = { ...config.limits };
  const fds = descriptorLimit();
  if (fds !== undefined && limits.maxConnections > fds - 256) {
    limits.maxConnections = Math.max(64, fds - 256);
    logger.warn({ maxConnections: limits.maxConnections, descriptorLimit: fds }, 'MAX_CONNECTIONS lowered to fit the descriptor limit');
  }
  const guarded = createGuardedServer(handle, limits, clientErrorHandler(site.registry, site.i18n), shapes);
  const { server } = guarded;
  await new Promise<void>((done) => server.listen(config.port, config.host, done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  lifecycle.ready = true;
  lifecycleLog.info(
    {
      host: config.host,
      port,
      baseUrl: config.baseUrl,
      guides: site.catalogue.guides.length,
      content: site.contentFrom,
      release: release ? { dir: release.dir, version: release.index.version, pages: live.cache.size().release } : null,
      startupMs: Math.round(performance.now()),
      // FAST_SHAPES: requests and answers in Express's shape (fast), or Node's own objects (stock).
      shapes: config.fastShapes ? 'fast' : 'stock',
    },
    'listening',
  );

  // The day a guide passes its review date its pages change (they say the site may have changed):
  // pages in memory are dropped then; the release's pages of that guide are past their date too,
  // so they are rendered again as they are asked.
  const refreshAtNextReview = () => {
    const today = new Date().toISOString().slice(0, 10);
    const next = live.site.catalogue.guides
      .map((g) => g.reviewDue)
      .filter((d) => d > today)
      .sort()[0];
    if (!next) return;
    const wait = Math.min(Date.parse(`${next}T00:00:00Z`) - Date.now(), 2 ** 31 - 1);
    setTimeout(() => {
      if (new Date().toISOString().slice(0, 10) >= next) live.cache.clear();
      refreshAtNextReview();
    }, wait).unref();
  };
  refreshAtNextReview();

  // SIGTERM: /readyz fails at once, so the load balancer stops sending; the listener keeps
  // serving for the drain period with Connection: close on every answer; then it closes, answers
  // in flight finish, idle connections are closed, and the process exits 0.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    lifecycle.ready = false;
    guarded.drain();
    lifecycleLog.info({ signal, drainMs: limits.shutdownDrainMs }, 'shutting down');
    // The store is closed last, whichever way the connections end; then "stopped".
    const exit = (code: number) =>
      void (store?.close() ?? Promise.resolve())
        .catch((error: unknown) => logger.warn({ err: error }, 'the store did not close cleanly'))
        .finally(() => {
          lifecycleLog.info({ store: store ? 'closed' : 'none' }, 'stopped');
          process.exit(code);
        });
    const close = () => {
      guarded.close(() => exit(0));
      setTimeout(() => {
        logger.error('answers in flight did not finish within 10 s; closing them');
        server.closeAllConnections();
        exit(1);
      }, 10_000).unref();
    };
    if (limits.shutdownDrainMs > 0) setTimeout(close, limits.shutdownDrainMs);
    else close();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ContentError || error instanceof ConfigError || error instanceof ReleaseError) {
    process.stderr.write(`Dalil cannot start.\n${error.message}\n`);
  } else {
    process.stderr.write(`Dalil cannot start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
