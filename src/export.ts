/**
 * npm run export -- --out DIR [--base-url URL]: the static edition. Every page that is a pure
 * function of its address, byte for byte what the app serves (run with FEEDBACK=off), with its
 * gzip and brotli; the answers of the tools whose answers are few; an nginx server block that
 * serves it with the app's headers; and a README.txt. For a CDN or a static host, a shelter's
 * small computer, a USB key.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ReleaseIndex } from './cache/release.js';
import { ConfigError } from './config.js';
import { ContentError, formatIssue } from './content/read.js';
import { renderEdition } from './edition.js';
import type { Registry } from './languages.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** "Name: value" lines nginx adds to an answer, from one of the index's header sets (the type is set apart). */
function headerLines(headers: Record<string, string | string[]>, indent: string, override: Record<string, string> = {}): string {
  const lines = [`${indent}types { }`, `${indent}default_type ${JSON.stringify(String(headers['content-type'] ?? 'application/octet-stream'))};`];
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'content-type') continue;
    for (const v of [override[name] ?? value].flat()) lines.push(`${indent}add_header ${name} ${JSON.stringify(v)} always;`);
  }
  // Set only when the brotli file is the one sent (see $dalil_br below); empty, nginx sends nothing.
  lines.push(`${indent}add_header Content-Encoding $dalil_encoding always;`);
  return lines.join('\n');
}

/**
 * An nginx `server` block for the edition: each page with the headers the app sends for it (the
 * pages of a language share theirs; the others are named one by one), the brotli or gzip file
 * beside it when the browser takes it, a tool's answer found by its query string, and each
 * language's 404 page.
 */
function nginxServer(index: ReleaseIndex, registry: Registry, dir: string): string {
  const byPath = new Map<string, { file: string; headers: number; status: number }>();
  for (const [key, [file, status, headers]] of Object.entries(index.pages)) {
    if (key.includes('?') || key.includes('#')) continue;
    byPath.set(key, { file, headers, status });
  }
  const out: string[] = [];
  const exact = (path: string, headers: number, options: { internal?: boolean; file?: string } = {}) =>
    out.push(
      `  location = ${path} {`,
      ...(options.internal ? ['    internal;'] : []),
      headerLines(index.headers[headers]!, '    '),
      `    try_files /${options.file ?? byPath.get(path)!.file}$dalil_br /${options.file ?? byPath.get(path)!.file} =404;`,
      '  }',
    );
  // The picker: the file of the first language the browser asks for, else the first language's;
  // its variants differ in their language only.
  const first = registry.all[0]!;
  const pickers = registry.all.map((l) => index.headers[index.pages[`/#${l.id}`]![2]]!);
  const without = (h: Record<string, unknown>) =>
    JSON.stringify(
      Object.entries(h)
        .filter(([k]) => k !== 'content-language')
        .sort(),
    );
  if (new Set(pickers.map(without)).size !== 1)
    throw new Error('the language pickers differ in more than their language: no one nginx location can serve them');
  out.push('  set $dalil_picker "";', `  set $dalil_picker_lang "${first.lang}";`);
  for (const l of registry.all.slice(1)) {
    const names = [...new Set([l.id, l.lang.split('-')[0]!])].join('|');
    out.push(`  if ($http_accept_language ~* "^\\s*(${names})\\b") { set $dalil_picker ".${l.id}"; set $dalil_picker_lang "${l.lang}"; }`);
  }
  out.push(
    '  location = / {',
    headerLines(pickers[0]!, '    ', { 'content-language': '$dalil_picker_lang' }),
    '    try_files /index$dalil_picker.html$dalil_br /index$dalil_picker.html =404;',
    '  }',
  );
  for (const l of registry.all) {
    const prefix = `/${l.id}/`;
    const mine = [...byPath.entries()].filter(([path]) => path.startsWith(prefix));
    const counts = new Map<number, number>();
    for (const [, p] of mine) if (p.status === 200) counts.set(p.headers, (counts.get(p.headers) ?? 0) + 1);
    const usual = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    out.push(
      `  location ${prefix} {`,
      headerLines(index.headers[usual]!, '    '),
      `    error_page 404 /${l.id}/404;`,
      '    try_files $uri$dalil_page$dalil_br $uri$dalil_page =404;',
      '  }',
    );
    for (const [path, p] of mine) if (p.headers !== usual || p.status !== 200) exact(path, p.headers, { internal: p.status === 404 });
  }
  for (const [path, p] of byPath) {
    if (registry.all.some((l) => path.startsWith(`/${l.id}/`)) || path === '/') continue;
    exact(path, p.headers, { internal: p.status === 404 });
  }
  return `# Dalil, static edition of ${index.built} (release ${index.version}), for ${index.config.baseUrl}.
# A "server" block: include it in the http block of nginx.conf (Debian: /etc/nginx/sites-enabled/).
# Pages are sent as the app sends them: same bytes, same headers; brotli or gzip files when the
# browser takes them; a tool's answer found by its query string; each language's 404 page.
server {
  listen 8080;
  # Where the edition is: change this line if you move the folder.
  root ${dir};
  server_tokens off;
  charset off;
  etag on;
  gzip_static on;
  error_page 404 /404;

  # The brotli file when the browser takes brotli (.br beside each page).
  set $dalil_br "";
  set $dalil_encoding "";
  if ($http_accept_encoding ~* "(^|[\\s,])br\\s*(,|$)") { set $dalil_br ".br"; set $dalil_encoding "br"; }
  # A page is <path>/index.html; with a query string (a tool's answer, a guide beside another language), <path>/<query>.html.
  set $dalil_page "/index.html";
  if ($args != "") { set $dalil_page "/$args.html"; }

  location = /index.json { return 404; }
${out.join('\n')}
}
`;
}

function readme(index: ReleaseIndex, pages: number): string {
  return `Dalil — static edition
======================

Made on ${index.built} from release ${index.version}, for ${index.config.baseUrl}.
${pages} pages: the language picker, every home, guide, handout and help-desk step in every language
it is written in, each guide beside each of its other languages, the tools, the answers of the
orientation chart and of the referral table, the offline pages, the manifests, the service worker
and the assets. Each page is byte for byte what the Dalil server sends for its address, with a
.gz and a .br file beside it.

How to serve it
---------------
- nginx (recommended): nginx.conf here is a "server" block with the app's headers (security
  policy, caching, language), the compressed files, the tools' answers and the 404 pages. Check
  its "root" and "listen" lines, include it in nginx's http block, reload nginx.
- A CDN or a static host: upload the folder; serve index.html for a folder, <path>/<query>.html
  for an address with a query string, and the headers of index.json (each page's header set).
- Any small web server (a shelter's computer, a USB key: e.g. "python3 -m http.server" in this
  folder): the pages and guides open; the tools' answers need the query-string rule above.

Not included: readers' feedback and problem reports, the editors' area (they need the server and
its database), the provider checker's answers (too many: its page leads to the providers' lists in
the guide). Pages and links carry the address ${index.config.baseUrl}: serve the edition there,
or make another one for another address (npm run export -- --out DIR --base-url URL).

Replacing it: an edition is dated (above, and in index.json). Make a new one when the guides
change (each guide says when it was checked and when it is due again) and replace the folder
whole; browsers that kept pages offline pick up the new release at their next visit.
`;
}

const usage = 'Usage: npm run export -- --out DIR [--base-url https://dalil.example]';
try {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'base-url': { type: 'string' } } });
  if (!values.out) throw new ConfigError(`${usage}\n  --out: the folder to write the edition into`);
  const env = { ...process.env, FEEDBACK: 'off', ...(values['base-url'] ? { BASE_URL: values['base-url'] } : {}) };
  const { index, out, site } = await renderEdition({ root, env, out: values.out, edition: 'static' });
  const pages = Object.keys(index.pages).length;
  writeFileSync(join(out, 'nginx.conf'), nginxServer(index, site.registry, out));
  writeFileSync(join(out, 'README.txt'), readme(index, pages));
  process.stdout.write(`Static edition of ${index.built}: ${pages} pages in ${out}, for ${index.config.baseUrl}. See ${join(out, 'README.txt')}.\n`);
} catch (error) {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else if (error instanceof ContentError)
    process.stderr.write(`Export stopped: ${error.issues.length} problem(s) in the content.\n${error.issues.map(formatIssue).join('\n')}\n`);
  else throw error;
  process.exit(1);
}
