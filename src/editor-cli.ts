/**
 * npm run editor -- add NAME [--role editor|reviewer|admin] [--languages ar,prs] [--password-stdin]
 *                 | change NAME --role ROLE [--languages ar,prs] | list | remove NAME
 * Editors' accounts, made on the command line only (the site has no sign-up). The password is
 * asked for without echo, or read from the standard input for scripts. Each change is written to
 * the audit log as made on the command line.
 */
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { loadLanguages } from './languages.js';
import { audit, COMMAND_LINE } from './store/audit.js';
import { openStore } from './store/db.js';
import { type Account, addEditor, changeEditor, isRole, listEditors, ROLES, removeEditor } from './store/editors.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A password typed at the terminal, not shown; or the first line of the standard input. */
async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = (q: string) =>
    new Promise<string>((answer) => {
      muted = false;
      rl.question(q, answer);
      muted = true;
    });
  const first = await ask('Password (12 characters or more): ');
  process.stdout.write('\n');
  const second = await ask('Again: ');
  process.stdout.write('\n');
  rl.close();
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

const USAGE =
  'usage: npm run editor -- add NAME [--role editor|reviewer|admin] [--languages ar,prs] [--password-stdin] | change NAME --role ROLE [--languages ar,prs] | list | remove NAME';

/** The role and languages given, checked against the roles and the site's languages. */
function accountOf(role: string, languages: string): Account {
  if (!isRole(role)) throw new Error(`a role is one of ${ROLES.join(', ')}`);
  const known = loadLanguages(join(root, 'locales')).all.map((l) => l.id);
  const chosen = languages.split(',').filter(Boolean);
  const unknown = chosen.filter((l) => !known.includes(l));
  if (unknown.length) throw new Error(`unknown language(s) ${unknown.join(', ')}: the site has ${known.join(', ')}`);
  return { role, languages: [...new Set(chosen)] };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'password-stdin': { type: 'boolean', default: false }, role: { type: 'string' }, languages: { type: 'string', default: '' } },
  });
  const [command, name] = positionals;
  const config = loadConfig();
  const store = openStore(config.feedback.database, root);
  try {
    if (!(await store.available())) throw new Error('the feedback store cannot be reached (DATABASE_URL)');
    if (command === 'add' && name) {
      const account = accountOf(values.role ?? 'editor', values.languages);
      await addEditor(store, name, await readPassword(values['password-stdin']), account);
      await audit(store, COMMAND_LINE, 'account-add', `${name}: ${account.role} ${account.languages.join(',')}`.trim());
      process.stdout.write(`Editor "${name}" added (${account.role}).\n`);
    } else if (command === 'change' && name && values.role) {
      const account = accountOf(values.role, values.languages);
      if (!(await changeEditor(store, name, account))) throw new Error(`no editor is named "${name}"`);
      await audit(store, COMMAND_LINE, 'account-change', `${name}: ${account.role} ${account.languages.join(',')}`.trim());
      process.stdout.write(`Editor "${name}" is now ${account.role}.\n`);
    } else if (command === 'list') {
      for (const e of await listEditors(store)) process.stdout.write(`${e.name}\t${e.role}\t${e.languages.join(',') || '-'}\t${e.created_at}\n`);
    } else if (command === 'remove' && name) {
      if (!(await removeEditor(store, name))) throw new Error(`no editor is named "${name}"`);
      await audit(store, COMMAND_LINE, 'account-remove', name);
      process.stdout.write(`Editor "${name}" removed.\n`);
    } else {
      throw new Error(USAGE);
    }
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`editor: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
