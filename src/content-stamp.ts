/**
 * npm run content:stamp -- <slug> <language> --status leaflet|translated|reviewed
 *                          [--from fr,prs] [--screens] [--machine-assisted] [--by "<person's name>"] [--date YYYY-MM-DD]
 *                          [--content DIR]
 * Records in content/guides/<slug>/translations.yaml where a language's text came from, and the
 * reference texts of today (run it when a text has been written again, or checked by a person).
 * `reviewed` needs the name of the person who checked the text: a role is not a name.
 * Only that language's entry changes; the file's comments and other entries stay as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, parseDocument, YAMLSeq } from 'yaml';
import { flattenTexts, readYaml } from './content/read.js';
import { GuideSchema } from './content/schema.js';
import { personNameProblem, textHash, TranslationsSchema } from './content/translations.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const usage =
  'usage: npm run content:stamp -- <slug> <language> --status leaflet|translated|reviewed [--from fr,prs] [--screens] [--machine-assisted] [--by "<person\'s name>"] [--date YYYY-MM-DD] [--content DIR]';
const fail = (message: string): never => {
  process.stderr.write(`content:stamp: ${message}\n`);
  process.exit(1);
};
function args() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        status: { type: 'string' },
        from: { type: 'string' },
        screens: { type: 'boolean', default: false },
        'machine-assisted': { type: 'boolean', default: false },
        by: { type: 'string' },
        date: { type: 'string', default: new Date().toISOString().slice(0, 10) },
        content: { type: 'string', default: join(root, 'content') },
      },
    });
  } catch (e) {
    return fail(`${(e as Error).message}\n${usage}`);
  }
}
const { values, positionals } = args();
const [slug, language] = positionals;
if (!slug || !language || !values.status) fail(usage);
const status = values.status!;
if (status === 'reviewed') {
  // Nobody may be recorded as having checked a text without their name.
  const problem = values.by === undefined ? 'a review is recorded with the name of the person who made it: --by "<name>"' : personNameProblem(values.by);
  if (problem) fail(`--by: ${problem}`);
} else if (values.by !== undefined) fail(`--by is for a review (--status reviewed): a ${status} text was not checked by a person`);

const dir = join(resolve(values.content), 'guides', slug!);
const guide = GuideSchema.safeParse(parse(readFileSync(join(dir, 'guide.yaml'), 'utf8')));
if (!guide.success) fail(`${slug}/guide.yaml does not pass the content check; run npm run content:check`);
const reference = guide.data!.reference;
const problems: string[] = [];
const tree = readYaml(join(dir, `${reference}.yaml`), `${reference}.yaml`, (_f, path, message) => problems.push(`${path}: ${message}`));
const texts = flattenTexts(tree, '', (path, message) => problems.push(`${path}: ${message}`));
if (problems.length) fail(problems.join('\n'));

const entry: Record<string, unknown> = { status };
if (values.from && status !== 'reviewed') entry.from = values.from.split(',').map((s) => s.trim());
if (values.screens) entry.screens = true;
if (status === 'translated') entry['machine-assisted'] = values['machine-assisted'];
if (status === 'reviewed') entry.by = values.by!.trim();
entry.date = values.date;
if (language !== reference) entry.texts = Object.fromEntries([...texts].map(([id, text]) => [id, textHash(text)]));

const file = join(dir, 'translations.yaml');
const doc = parseDocument(existsSync(file) ? readFileSync(file, 'utf8') : '{}\n');
doc.set(language!, doc.createNode(entry));
const from = doc.getIn([language!, 'from'], true);
if (from instanceof YAMLSeq) from.flow = true;
const checked = TranslationsSchema.safeParse(doc.toJS());
if (!checked.success) fail(checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
writeFileSync(file, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
const who = status === 'reviewed' ? ` by ${values.by!.trim()}` : '';
process.stdout.write(`${slug}: ${language} recorded as ${status}${who} on ${values.date}, against ${texts.size} ${reference} texts.\n`);
