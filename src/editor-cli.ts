/**
 * npm run editor -- add NAME [--password-stdin] | list | remove NAME
 * Editors' accounts, made on the command line only (the site has no sign-up). The password is
 * asked for without echo, or read from the standard input for scripts.
 */
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { openStore } from './store/db.js';
import { addEditor, listEditors, removeEditor } from './store/editors.js';

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

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'password-stdin': { type: 'boolean', default: false } } });
  const [command, name] = positionals;
  const config = loadConfig();
  const store = openStore(config.feedback.database, root);
  try {
    if (!(await store.available())) throw new Error('the feedback store cannot be reached (DATABASE_URL)');
    if (command === 'add' && name) {
      await addEditor(store, name, await readPassword(values['password-stdin']));
      process.stdout.write(`Editor "${name}" added.\n`);
    } else if (command === 'list') {
      for (const e of await listEditors(store)) process.stdout.write(`${e.name}\t${e.created_at}\n`);
    } else if (command === 'remove' && name) {
      if (!(await removeEditor(store, name))) throw new Error(`no editor is named "${name}"`);
      process.stdout.write(`Editor "${name}" removed.\n`);
    } else {
      throw new Error('usage: npm run editor -- add NAME [--password-stdin] | list | remove NAME');
    }
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`editor: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
