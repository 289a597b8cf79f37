/**
 * npm run build (after the compiler): the release directory (RELEASE_DIR, default release/), every
 * page that is a pure function of its address rendered once and compressed (gzip 9, brotli 11) on
 * every core, for the server to answer from. Broken content stops it, naming file, field and problem.
 * With --changed a,b (a publish of those guides), the other pages come from the release there.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { ContentError, formatIssue } from './content/read.js';
import { renderEdition } from './edition.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

try {
  const start = performance.now();
  const config = loadConfig();
  // --changed a,b: only the pages of these guides (and of those linking to them) are rendered again.
  const { values } = parseArgs({ options: { changed: { type: 'string' } } });
  const changed = values.changed?.split(',').filter(Boolean);
  const { index, out, rebuilt, reused } = await renderEdition({
    root,
    env: process.env,
    out: config.paths.release,
    edition: 'server',
    ...(changed ? { changed } : {}),
  });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  process.stdout.write(
    rebuilt
      ? `Release ${index.version}: ${Object.keys(index.pages).length} pages in ${out} (${seconds} s${reused ? `, ${reused} of them taken from the release before` : ''}), for BASE_URL=${index.config.baseUrl}.\n`
      : `Release ${index.version} is already in ${out}, made today from the same content, code and configuration: kept (${seconds} s).\n`,
  );
} catch (error) {
  if (error instanceof ConfigError) process.stderr.write(`Build stopped. ${error.message}\n`);
  else if (error instanceof ContentError)
    process.stderr.write(`Build stopped: ${error.issues.length} problem(s) in the content.\n${error.issues.map(formatIssue).join('\n')}\n`);
  else throw error;
  process.exit(1);
}
