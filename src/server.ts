import { Agent, createServer, get } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createHandler } from './app.js';
import { clientErrorHandler } from './http/client-error.js';
import type { Lifecycle } from './routes/health.js';
import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/load.js';
import { loadSite } from './site.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: undefined });
  const site = await loadSite(root);
  // Not ready until the known pages are rendered: load balancers wait for /readyz.
  const lifecycle: Lifecycle = { ready: false };
  const { handle, cache, known } = createHandler({ config, site, logger, lifecycle });

  const server = createServer(handle);
  server.on('clientError', clientErrorHandler(site.registry, site.i18n));
  await new Promise<void>((done) => server.listen(config.port, config.host, done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host.replace(/^\[|\]$/g, '');
  await warm(host, port, known.filter((k) => !k.later));
  lifecycle.ready = true;
  logger.info(
    { host: config.host, port, baseUrl: config.baseUrl, guides: site.catalogue.guides.length, pages: cache.size().known, startupMs: Math.round(performance.now()) },
    'listening',
  );
  // The other known pages, then brotli 11 for all of them, off the request path.
  lifecycle.compressing = true;
  warm(host, port, known.filter((k) => k.later))
    .then(() => cache.compressKnown())
    .then(
      () => {
        lifecycle.compressing = false;
        logger.info({ ms: Math.round(performance.now()) }, 'brotli ready');
      },
      (error: unknown) => logger.error({ err: error }, 'warming or compressing failed'),
    );
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10000;
  server.requestTimeout = 30000;

  // SIGTERM: stop accepting, let in-flight requests finish, then exit 0.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    lifecycle.ready = false;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    idle.unref();
    setTimeout(() => {
      logger.error('in-flight requests did not finish within 10 s; closing them');
      server.closeAllConnections();
      process.exit(1);
    }, 10000).unref();
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
