/**
 * npm run content:stamp -- <slug> <language> --by <native-editor|independent-editor|machine-assisted>
 *                          [--status reviewed|unreviewed] [--date YYYY-MM-DD]
 * Records in content/guides/<slug>/translations.yaml who checked a translation, when, and the
 * reference texts of today it was checked against (run it when a translation has been checked).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { flattenTexts, readYaml } from './content/read.js';
import { GuideSchema } from './content/schema.js';
import { textHash, TranslationsSchema } from './content/translations.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    by: { type: 'string' },
    status: { type: 'string', default: 'reviewed' },
    date: { type: 'string', default: new Date().toISOString().slice(0, 10) },
  },
});
const [slug, language] = positionals;
const fail = (message: string) => {
  process.stderr.write(`content:stamp: ${message}\n`);
  process.exit(1);
};
if (!slug || !language || !values.by) fail('usage: npm run content:stamp -- <slug> <language> --by <who> [--status reviewed|unreviewed] [--date YYYY-MM-DD]');

const dir = join(root, 'content/guides', slug!);
const guide = GuideSchema.safeParse(parse(readFileSync(join(dir, 'guide.yaml'), 'utf8')));
if (!guide.success) fail(`${slug}/guide.yaml does not pass the content check; run npm run content:check`);
const reference = guide.data!.reference;
if (language === reference) fail(`${language} is the reference language of ${slug}: it is not a translation`);
const problems: string[] = [];
const tree = readYaml(join(dir, `${reference}.yaml`), `${reference}.yaml`, (_f, path, message) => problems.push(`${path}: ${message}`));
const texts = flattenTexts(tree, '', (path, message) => problems.push(`${path}: ${message}`));
if (problems.length) fail(problems.join('\n'));

const file = join(dir, 'translations.yaml');
const current = existsSync(file) ? (parse(readFileSync(file, 'utf8')) as unknown) : {};
const next = TranslationsSchema.safeParse({
  ...(current ?? {}),
  [language!]: { status: values.status, by: values.by, date: values.date, from: Object.fromEntries([...texts].map(([id, text]) => [id, textHash(text)])) },
});
if (!next.success) fail(next.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
const header = `# Who checked each translation of this guide, when, and the ${reference} texts it was checked
# against (a hash per text id). Written by: npm run content:stamp -- ${slug} <language> --by <who>
`;
writeFileSync(file, header + stringify(next.data, { sortMapEntries: true }));
process.stdout.write(`${slug}: ${language} recorded as ${values.status} by ${values.by} on ${values.date}, against ${texts.size} ${reference} texts.\n`);
