/**
 * npm run export -- --out DIR [--base-url URL]: the static edition. In DIR/site/, the folder that
 * is served: every page that is a pure function of its address, byte for byte what the app serves
 * (run with FEEDBACK=off), with its gzip and brotli, the answers of the tools whose answers are
 * few. Beside it, never served: DIR/nginx.conf, which serves the site with the app's headers,
 * DIR/index.json (each page's file, status and headers) and DIR/README.txt. For a CDN or a static
 * host, a shelter's small computer, a USB key.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ReleaseIndex } from './cache/release.js';
import { ConfigError } from './config.js';
import { ContentError, formatIssue } from './content/read.js';
import { renderEdition } from './edition.js';
import type { Registry } from './languages.js';
import { urls } from './urls.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The query strings the edition has files for (<path>/<query>.html): name=value pairs of letters,
 * digits and "-", joined by "&", as a tool's form writes its answers and a guide names the
 * language beside it. nginx makes a file name of no other query: no ".", "/" or "%" reaches the disk.
 */
const QUERY = /^[A-Za-z0-9-]+=[A-Za-z0-9-]*(?:&[A-Za-z0-9-]+=[A-Za-z0-9-]*)*$/;

/** The headers the app sends on every answer, with the same value (its security headers): those all the index's sets share. */
function sharedHeaders(index: ReleaseIndex): Record<string, string | string[]> {
  const [first, ...others] = index.headers;
  const shared = Object.entries(first ?? {}).filter(
    ([name, value]) => name !== 'content-type' && others.every((h) => JSON.stringify(h[name]) === JSON.stringify(value)),
  );
  const names = shared.map(([name]) => name);
  for (const needed of ['content-security-policy', 'x-content-type-options', 'referrer-policy']) {
    if (!names.includes(needed)) throw new Error(`the pages do not all send the same ${needed}: nginx could not send it on its own answers`);
  }
  return Object.fromEntries(shared);
}

/** nginx's add_header lines (always: on error answers too) for a set of headers but the type. */
const addHeaders = (headers: Record<string, string | string[]>, indent: string, override: Record<string, string> = {}) =>
  Object.entries(headers)
    .filter(([name]) => name !== 'content-type')
    .flatMap(([name, value]) => [override[name] ?? value].flat().map((v) => `${indent}add_header ${name} ${JSON.stringify(v)} always;`));

/** "Name: value" lines nginx adds to an answer, from one of the index's header sets (the type is set apart). */
function headerLines(headers: Record<string, string | string[]>, indent: string, override: Record<string, string> = {}): string {
  const lines = [
    `${indent}types { }`,
    `${indent}default_type ${JSON.stringify(String(headers['content-type'] ?? 'application/octet-stream'))};`,
    ...addHeaders(headers, indent, override),
  ];
  // Set only when the brotli file is the one sent (see $dalil_br below); empty, nginx sends nothing.
  lines.push(`${indent}add_header Content-Encoding $dalil_encoding always;`);
  return lines.join('\n');
}

/**
 * The nginx configuration of the edition, included in nginx's http block: two `map` blocks (the
 * file of a query string, only for the shapes of query the edition has files for) and a `server`
 * block: each page with the headers the app sends for it (the pages of a language share theirs;
 * the others are named one by one), the brotli or gzip file beside it when the browser takes it, a
 * tool's answer found by its query string, each language's 404 page, and the app's security
 * headers on every answer, nginx's own included.
 */
function nginxConf(index: ReleaseIndex, registry: Registry, site: string): string {
  const byPath = new Map<string, { file: string; headers: number; status: number }>();
  for (const [key, [file, status, headers]] of Object.entries(index.pages)) {
    if (key.includes('?')) {
      const query = file.slice(file.lastIndexOf('/') + 1, -'.html'.length);
      if (!QUERY.test(query)) throw new Error(`${key}: its file's query string "${query}" is of no shape nginx.conf maps to a file`);
    }
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
      // The language without its slash: its home, as the app answers.
      `  location = /${l.id} { return 301 ${prefix}; }`,
      `  location ${prefix} {`,
      headerLines(index.headers[usual]!, '    '),
      `    error_page 404 /${l.id}/404;`,
      '    try_files $uri$dalil_page$dalil_br $uri$dalil_page =404;',
      '  }',
    );
    // The tools refuse a query they do not know (the app answers 400): here, a 404.
    const tools = urls.tool(l, '');
    if (mine.some(([path]) => path.startsWith(tools))) {
      out.push(
        `  location ${tools} {`,
        headerLines(index.headers[usual]!, '    '),
        `    error_page 404 /${l.id}/404;`,
        '    if ($dalil_answer = "") { return 404; }',
        '    try_files $uri$dalil_answer$dalil_br $uri$dalil_answer =404;',
        '  }',
      );
    }
    for (const [path, p] of mine) if (p.headers !== usual || p.status !== 200) exact(path, p.headers, { internal: p.status === 404 });
  }
  for (const [path, p] of byPath) {
    if (registry.all.some((l) => path.startsWith(`/${l.id}/`)) || path === '/') continue;
    exact(path, p.headers, { internal: p.status === 404 });
  }
  const query = JSON.stringify(`~${QUERY.source}`);
  return `# Dalil, static edition of ${index.built} (release ${index.version}), for ${index.config.baseUrl}.
# Include this file in the http block of nginx's configuration (Debian: link it into
# /etc/nginx/sites-enabled/): it holds two "map" blocks, which nginx takes only there, and the
# "server" block that uses them. One edition per nginx: another would define $dalil_page again.
# Pages are sent as the app sends them: same bytes, same headers; brotli or gzip files when the
# browser takes them; a tool's answer found by its query string; each language's 404 page.

# A page is <path>/index.html; with a query string (a tool's answer, a guide beside another
# language), <path>/<query>.html, but only for the shapes of query the edition has files for:
# name=value pairs of letters, digits and "-", joined by "&". No other query is made a file name.
# $dalil_page: for a page that ignores a query it does not know, as the app does, the page itself.
map $args $dalil_page {
  default "/index.html";
  ${query} "/$args.html";
}
# $dalil_answer: for a tool, which refuses a query it does not know, none (a 404).
map $args $dalil_answer {
  default "";
  "" "/index.html";
  ${query} "/$args.html";
}

server {
  listen 8080;
  # The site folder, and only it: nginx.conf, README.txt and index.json are beside it, never served.
  # Change this line if you move the folder.
  root ${site};
  server_tokens off;
  charset off;
  etag on;
  gzip_static on;
  absolute_redirect off;
  error_page 404 /404;
  # The app's security headers, on the answers nginx makes itself (a refused request, a
  # redirect); each page's location below sends them with the page's other headers.
${addHeaders(sharedHeaders(index), '  ').join('\n')}

  # The brotli file when the browser takes brotli (.br beside each page).
  set $dalil_br "";
  set $dalil_encoding "";
  if ($http_accept_encoding ~* "(^|[\\s,])br\\s*(,|$)") { set $dalil_br ".br"; set $dalil_encoding "br"; }

${out.join('\n')}
  # An address that is no page of the edition (a file's own name, a folder): the 404 page, as
  # the app answers.
  location / { return 404; }
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

What is here
------------
- site/: the site. Serve this folder, and nothing above it.
- nginx.conf: the nginx configuration that serves site/ (two "map" blocks and a "server" block).
- index.json: each page's file (in site/), status and header set.
- README.txt: this file.
Only site/ is ever served: nginx.conf, index.json and this file stay beside it.

How to serve it
---------------
- nginx (recommended): nginx.conf here sends the pages with the app's headers (security policy,
  caching, language), the compressed files, the tools' answers and the 404 pages. Check its
  "root" line (the path of site/) and its "listen" line, include the file in nginx's http block
  (Debian: ln -s this file into /etc/nginx/sites-enabled/), check with "nginx -t", reload nginx.
- A CDN or a static host: upload site/ (only it); serve index.html for a folder, the headers
  index.json gives each page, and <path>/<query>.html for an address whose query string is
  name=value pairs of letters, digits and "-" joined by "&"; the page itself for any other query
  string (never make a file name of it: "../" would reach files outside the site).
- Any small web server (a shelter's computer, a USB key: e.g. "python3 -m http.server" run in
  site/, not here): the pages and guides open; the tools' answers need the query-string rule
  above.

Not included: readers' feedback and problem reports, the editors' area (they need the server and
its database), the provider checker's answers (too many: its page leads to the providers' lists in
the guide). Pages and links carry the address ${index.config.baseUrl}: serve the edition there,
or make another one for another address (npm run export -- --out DIR --base-url URL).

Replacing it: an edition is dated (above, and in index.json). Make a new one when the guides
change (each guide says when it was checked and when it is due again) and replace the folder
whole; browsers that kept pages offline pick up the new release at their next visit.
`;
}

const usage = `Usage: npm run export -- --out DIR [--base-url https://dalil.example]
  --out: the folder to write the edition into: the site in DIR/site/ (the folder to serve, made
         afresh), and beside it DIR/nginx.conf, DIR/index.json and DIR/README.txt
  --base-url: the public address the edition is served at (default: BASE_URL)`;
try {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'base-url': { type: 'string' } } });
  if (!values.out) throw new ConfigError(usage);
  const env = { ...process.env, FEEDBACK: 'off', ...(values['base-url'] ? { BASE_URL: values['base-url'] } : {}) };
  const dir = resolve(root, values.out);
  const { index, out, site } = await renderEdition({ root, env, out: join(dir, 'site'), edition: 'static' });
  // The index is the deployer's, not the readers': beside the site, like the configuration.
  renameSync(join(out, 'index.json'), join(dir, 'index.json'));
  const pages = Object.keys(index.pages).length;
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(index, site.registry, out));
  writeFileSync(join(dir, 'README.txt'), readme(index, pages));
  process.stdout.write(
    `Static edition of ${index.built}: ${pages} pages in ${out}, for ${index.config.baseUrl}, served by ${join(dir, 'nginx.conf')}. See ${join(dir, 'README.txt')}.\n`,
  );
} catch (error) {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else if (error instanceof ContentError)
    process.stderr.write(`Export stopped: ${error.issues.length} problem(s) in the content.\n${error.issues.map(formatIssue).join('\n')}\n`);
  else throw error;
  process.exit(1);
}
