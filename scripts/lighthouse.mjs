#!/usr/bin/env node
// npm run lighthouse: Lighthouse 13 (fetched by npx) in Debian's Chromium, mobile, one page of each
// type, against the app in production. Prints the performance and accessibility scores. Not a test.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverArgs } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = 3403;
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const pages = [
  ['language picker', '/'],
  ['home', '/prs/'],
  ['guide', '/ar/guides/franceconnect'],
  ['handout', '/fr/guides/cnops/print'],
  ['bilingual guide', '/ar/guides/cnss-amo-tadamon?with=fr'],
  ['help-desk step', '/prs/guides/aidants-connect/present/2'],
  ['tool', '/en/tools/identity-provider'],
  ['tool result', '/fr/tools/orientation?knows-site=yes&has-account=no'],
];
// Lighthouse does not audit an answer whose status is 404 or 400; the axe crawl in npm test does.

const app = spawn(process.execPath, serverArgs(root), {
  env: { PATH: process.env.PATH, PORT: String(PORT), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn' },
  stdio: 'inherit',
});
for (let i = 0; ; i++) {
  try {
    const res = await fetch(`http://127.0.0.1:${PORT}/readyz`);
    if ((await res.text()) === 'ready\n') break;
  } catch {
    // not listening yet
  }
  if (i > 400) throw new Error('the app did not become ready');
  await new Promise((r) => setTimeout(r, 50));
}
const dir = mkdtempSync(join(tmpdir(), 'dalil-lighthouse-'));
const flags =
  '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';
console.log(`Lighthouse 13, mobile, ${CHROME}\n`);
console.log('page               performance  accessibility   FCP     LCP     TBT    CLS   url');
try {
  for (const [name, path] of pages) {
    const out = join(dir, 'report.json');
    const run = () =>
      execFileSync(
        'npx',
        [
          '--yes',
          'lighthouse@13',
          `http://127.0.0.1:${PORT}${path}`,
          '--only-categories=performance,accessibility',
          '--output=json',
          `--output-path=${out}`,
          `--chrome-flags=${flags}`,
          '--quiet',
        ],
        {
          env: { ...process.env, CHROME_PATH: CHROME },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
    try {
      run();
    } catch {
      // Chromium sometimes fails to start under load: one more try, then say so.
      try {
        run();
      } catch (error) {
        console.log(
          `${name.padEnd(18)} lighthouse failed: ${
            String(error.stderr ?? error)
              .split('\n')
              .find((l) => /error/i.test(l)) ?? 'see above'
          }`,
        );
        continue;
      }
    }
    const r = JSON.parse(readFileSync(out, 'utf8'));
    const a = (id) => r.audits[id].displayValue;
    const score = (c) => String(Math.round(r.categories[c].score * 100));
    console.log(
      `${name.padEnd(18)} ${score('performance').padStart(11)} ${score('accessibility').padStart(14)}  ${a('first-contentful-paint').padStart(6)}  ${a('largest-contentful-paint').padStart(6)}  ${a('total-blocking-time').padStart(5)}  ${a('cumulative-layout-shift').padStart(5)}   ${path}`,
    );
  }
} finally {
  app.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
