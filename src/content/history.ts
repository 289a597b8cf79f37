import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type Report, readYaml, zodPath } from './read.js';

/**
 * changes.yaml, beside a guide's texts: what each publish from the editors' area changed, newest
 * first (written by the publish, checked here like every content file). Readers see it under
 * "About this page", in their language.
 */
export const HISTORY_FILE = 'changes.yaml';

const Entry = z.strictObject({
  date: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
  /** The languages whose texts changed. */
  languages: z.array(z.string()).default([]),
  /** The texts that changed, by id. */
  texts: z.array(z.string()).default([]),
  /** The facts of guide.yaml that changed (every language shows them), by id, and its other fields editors change (content/parts.ts guideFields). */
  facts: z.array(z.string()).default([]),
  /** The editor's one line, in the language it was written in. */
  summary: z.record(z.string(), z.string().min(1).max(200)).default({}),
});
export type HistoryEntry = z.infer<typeof Entry>;

/** A guide's history (empty without the file), its problems reported with file and path. */
export function readHistory(
  dir: string,
  file: string,
  known: { languages: ReadonlySet<string>; texts: ReadonlySet<string>; facts: ReadonlySet<string> },
  report: Report,
): HistoryEntry[] {
  const { languages, texts, facts } = known;
  if (!existsSync(join(dir, HISTORY_FILE))) return [];
  const raw = readYaml(join(dir, HISTORY_FILE), file, report);
  if (raw === undefined) return [];
  const parsed = z.array(Entry).safeParse(raw ?? []);
  if (!parsed.success) {
    for (const i of parsed.error.issues) report(file, zodPath(i.path), i.message);
    return [];
  }
  parsed.data.forEach((e, n) => {
    e.languages.forEach((l, k) => languages.has(l) || report(file, `[${n}].languages[${k}]`, `"${l}" is not a language of this guide`));
    e.texts.forEach((t, k) => texts.has(t) || report(file, `[${n}].texts[${k}]`, `"${t}" is not a text of this guide`));
    e.facts.forEach((f, k) => facts.has(f) || report(file, `[${n}].facts[${k}]`, `"${f}" is not a fact or field of this guide`));
    if (!e.texts.length && !e.facts.length) report(file, `[${n}]`, 'an entry names the texts or facts that changed');
    if (e.texts.length && !e.languages.length) report(file, `[${n}].languages`, 'texts changed in no language');
    if (n > 0 && e.date > parsed.data[n - 1]!.date) report(file, `[${n}].date`, 'the newest entry comes first');
  });
  return parsed.data;
}
