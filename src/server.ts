import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import pino from 'pino';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/load.js';
import { loadSite } from './site.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: undefined });
  const site = await loadSite(root);
  const lifecycle = { ready: true };
  const app = createApp({ config, site, logger, lifecycle });

  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ host: config.host, port, baseUrl: config.baseUrl, guides: site.catalogue.guides.length }, 'listening');
  });
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

main().catch((error: unknown) => {
  if (error instanceof ContentError || error instanceof ConfigError) {
    process.stderr.write(`Dalil cannot start.\n${error.message}\n`);
  } else {
    process.stderr.write(`Dalil cannot start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
