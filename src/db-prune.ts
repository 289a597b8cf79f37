/**
 * npm run db:prune: deletes the handled reports older than REPORT_RETENTION_DAYS (365 by default),
 * old screen answers, past counters and expired sessions. The server does the same at start.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.js';
import { openStore } from './store/db.js';
import { prune } from './store/feedback.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const config = loadConfig();
const store = openStore(config.feedback.database, root);
try {
  if (!(await store.available())) throw new Error('the feedback store cannot be reached (DATABASE_URL)');
  const pruned = await prune(store, config.feedback.retentionDays);
  process.stdout.write(
    `Pruned ${pruned.reports} report(s) (handled, or open and sent) and ${pruned.screenAnswers} screen answer(s) older than ${config.feedback.retentionDays} days.\n`,
  );
} catch (error) {
  process.stderr.write(`db:prune: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await store.close();
}
