/**
 * npm run xliff -- export SLUG LANGUAGE [--outdated] [--out FILE] | export ui LANGUAGE [--out FILE]
 *                | import FILE --by NAME
 * A guide's texts in a language for professional translators (XLIFF 2.0, to the standard output
 * or a file), and a translated file back: its changed texts, checked as the editors' area checks a
 * draft, become one change set by that account, sent for review (never straight to readers). Exits
 * with status 1 and the reasons when it refuses a file. The interface's strings (locales/) go out
 * the same way ("ui"), and a translated file of them is written into locales/<id>/common.json: a
 * developer's change, reviewed in git as code is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { exportUiXliff, exportXliff, importUiXliff, importXliff, UI } from './editing/exchange.js';
import { translates } from './editing/files.js';
import { peekXliff, XliffError } from './editing/xliff.js';
import { loadSite } from './site.js';
import { audit } from './store/audit.js';
import { submitSet } from './store/changes.js';
import { openStore } from './store/db.js';
import { listEditors, may } from './store/editors.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: npm run xliff -- export SLUG|ui LANGUAGE [--outdated] [--out FILE] | import FILE [--by NAME]';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { outdated: { type: 'boolean', default: false }, out: { type: 'string' }, by: { type: 'string' } },
  });
  const [command, first, second] = positionals;
  const config = loadConfig();
  const site = await loadSite(root, config.paths.content);
  const contentDir = site.contentDir;
  const write = (xml: string) => (values.out ? writeFileSync(values.out, xml) : process.stdout.write(xml));
  if (command === 'export' && first === UI && second) {
    const language = site.registry.get(second);
    if (!language || language === site.registry.all[0]) throw new Error(`"${second}" is not a language of the site other than ${site.registry.all[0]!.id}`);
    write(await exportUiXliff(root, site.registry, language));
    return;
  }
  if (command === 'export' && first && second) {
    const guide = site.catalogue.get(first);
    const language = site.registry.get(second);
    if (!guide) throw new Error(`no guide is named "${first}"`);
    if (!language || !translates(guide, language))
      throw new Error(
        `"${second}" is not a translation of ${guide.slug}: ${site.registry.all
          .filter((l) => translates(guide, l))
          .map((l) => l.id)
          .join(', ')}`,
      );
    write(await exportXliff(contentDir, guide, language, { outdated: values.outdated }));
    return;
  }
  if (command !== 'import' || !first) throw new Error(USAGE);
  const xml = readFileSync(first, 'utf8');
  if (peekXliff(xml).file === UI) {
    const keys = await importUiXliff(root, site.registry, xml);
    process.stdout.write(
      keys.length
        ? `Written into locales/: ${keys.join(', ')}. Review the change and commit it.\n`
        : 'Nothing in this file differs from the strings: nothing written.\n',
    );
    return;
  }
  if (!values.by) throw new Error('say whose change set this is, an editor account that writes in its language: --by NAME (npm run editor -- list)');
  const { guide, language, changes } = await importXliff({ contentDir, catalogue: site.catalogue, registry: site.registry, root }, xml);
  if (!changes.length) {
    process.stdout.write('Nothing in this file differs from the published texts: no change set was made.\n');
    return;
  }
  const store = openStore(config.feedback.database, root);
  try {
    if (!(await store.available())) throw new Error('the store cannot be reached (DATABASE_URL)');
    const account = (await listEditors(store)).find((e) => e.name === values.by);
    if (!account) throw new Error(`no editor is named "${values.by}" (npm run editor -- list)`);
    if (!may(account.role, 'submit') || (account.languages.length && !account.languages.includes(language.id)))
      throw new Error(`${account.name} does not write in ${language.id}`);
    const summary = `XLIFF: ${guide.slug} ${language.id}, ${changes.length} text(s)`;
    const id = await submitSet(store, account.name, changes, { text: summary, language: '' }, config.feedback.reviewsRequired > 0);
    await audit(store, account.name, 'submit', `#${id} ${summary} (command line)`);
    process.stdout.write(`Change set #${id}: ${changes.map((c) => c.text_id).join(', ')}; waiting for review under /editor/changes/${id}.\n`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof XliffError) process.stderr.write(`xliff: the file was refused:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
  else process.stderr.write(`xliff: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
