import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/read.js';
import { createHandler } from './handler.js';
import { clientErrorHandler } from './http/client-error.js';
import { createGuardedServer } from './http/connections.js';
import type { Lifecycle } from './routes/health.js';
import { loadSite } from './site.js';
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

async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: undefined });
  // Lifecycle events (listening, shutting down, stopped) are printed at any level but silent:
  // operators and tests read them even when requests are not logged (LOG_LEVEL=warn).
  const lifecycleLog = pino({ level: config.logLevel === 'silent' ? 'silent' : 'info', base: undefined });
  const site = await loadSite(root);
  // Not ready until the known pages are rendered: load balancers wait for /readyz.
  const lifecycle: Lifecycle = { ready: false };
  // The feedback store: SQLite in a file by default, PostgreSQL when copies share one. Reading
  // never waits on it: if it is down, reports get a "try later" and it is tried again.
  const store = config.feedback.enabled ? openStore(config.feedback.database, root, (error) => logger.error({ err: error }, 'feedback store')) : undefined;
  if (store && (await store.available())) {
    const pruned = await prune(store, config.feedback.retentionDays);
    logger.info({ store: store.dialect, ...pruned }, 'feedback store ready; old handled reports pruned');
  }
  const { handle, cache, known } = createHandler({ config, site, logger, lifecycle, ...(store ? { store } : {}) });

  // Connections never take the last descriptors: files and the store need some too.
  const limits = { ...config.limits };
  const fds = descriptorLimit();
  if (fds !== undefined && limits.maxConnections > fds - 256) {
    limits.maxConnections = Math.max(64, fds - 256);
    logger.warn({ maxConnections: limits.maxConnections, descriptorLimit: fds }, 'MAX_CONNECTIONS lowered to fit the descriptor limit');
  }
  const guarded = createGuardedServer(handle, limits, clientErrorHandler(site.registry, site.i18n));
  const { server } = guarded;
  await new Promise<void>((done) => server.listen(config.port, config.host, done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host.replace(/^\[|\]$/g, '');
  await warm(
    host,
    port,
    known.filter((k) => !k.later),
  );
  lifecycle.ready = true;
  lifecycleLog.info(
    {
      host: config.host,
      port,
      baseUrl: config.baseUrl,
      guides: site.catalogue.guides.length,
      pages: cache.size().known,
      startupMs: Math.round(performance.now()),
    },
    'listening',
  );
  // The other known pages, then brotli 11 for all of them, off the request path.
  lifecycle.compressing = true;
  warm(
    host,
    port,
    known.filter((k) => k.later),
  )
    .then(() => cache.compressKnown())
    .then(
      () => {
        lifecycle.compressing = false;
        logger.info({ ms: Math.round(performance.now()) }, 'brotli ready');
      },
      (error: unknown) => logger.error({ err: error }, 'warming or compressing failed'),
    );

  // The day a guide passes its review date its pages change (they say the site may have changed):
  // the rendered pages are dropped then, and the known ones rendered and compressed again.
  const refreshAtNextReview = () => {
    const today = new Date().toISOString().slice(0, 10);
    const next = site.catalogue.guides
      .map((g) => g.reviewDue)
      .filter((d) => d > today)
      .sort()[0];
    if (!next) return;
    const wait = Math.min(Date.parse(`${next}T00:00:00Z`) - Date.now(), 2 ** 31 - 1);
    setTimeout(() => {
      if (new Date().toISOString().slice(0, 10) >= next) {
        cache.clear();
        warm(host, port, known)
          .then(() => cache.compressKnown())
          .catch((error: unknown) => logger.error({ err: error }, 'rendering again after a review date failed'));
      }
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
    const close = () => {
      guarded.close(() => {
        void (store?.close() ?? Promise.resolve()).finally(() => {
          lifecycleLog.info('stopped');
          process.exit(0);
        });
      });
      setTimeout(() => {
        logger.error('answers in flight did not finish within 10 s; closing them');
        server.closeAllConnections();
        process.exit(1);
      }, 10_000).unref();
    };
    if (limits.shutdownDrainMs > 0) setTimeout(close, limits.shutdownDrainMs);
    else close();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Renders every page known at start once, through the real handler, over loopback, a few at a time. */
async function warm(host: string, port: number, pages: Array<{ url: string; acceptLanguage?: string }>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const fetchOne = (page: { url: string; acceptLanguage?: string }) =>
    new Promise<void>((resolve, reject) => {
      const headers = { 'accept-encoding': 'identity', ...(page.acceptLanguage ? { 'accept-language': page.acceptLanguage } : {}) };
      get({ host, port, path: page.url, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`warming ${page.url} answered ${res.statusCode}`))));
      }).on('error', reject);
    });
  await Promise.all(pages.map(fetchOne));
  agent.destroy();
}

main().catch((error: unknown) => {
  if (error instanceof ContentError || error instanceof ConfigError) {
    process.stderr.write(`Dalil cannot start.\n${error.message}\n`);
  } else {
    process.stderr.write(`Dalil cannot start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
