/**
 * npm run content:check: loads every guide as the server does at start, prints the coverage of
 * each guide in each language, and exits 1 naming file, path and problem when anything is broken.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentError, formatIssue } from './content/read.js';
import { freshnessReport } from './content/report.js';
import { loadSite } from './site.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

try {
  const { catalogue } = await loadSite(root);
  const rows = catalogue.coverage.map((c) => {
    const pct = c.total ? Math.floor((c.covered / c.total) * 100) : 100;
    return `  ${c.slug.padEnd(22)} ${c.language.padEnd(4)} ${`${c.covered}/${c.total}`.padStart(7)} ${`${pct}%`.padStart(5)}  ${c.declared ? 'published' : 'draft (not in languages)'}`;
  });
  process.stdout.write(`Content check: ${catalogue.guides.length} guide(s), all declared languages complete.\n${rows.join('\n')}\n`);
  const freshness = freshnessReport(catalogue, new Date().toISOString().slice(0, 10));
  process.stdout.write(
    freshness.length
      ? `To look at:\n${freshness.join('\n')}\n`
      : 'Every guide is within its review period; the text of every language matches its reference texts.\n',
  );
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  process.stderr.write(`Content check failed: ${error.issues.length} problem(s).\n${error.issues.map(formatIssue).join('\n')}\n`);
  process.exit(1);
}
