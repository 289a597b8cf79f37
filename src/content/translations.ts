import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Language, Registry } from '../languages.js';
import type { HistoryEntry } from './history.js';
import { type Report, readYaml, zodPath } from './read.js';

/**
 * translations.yaml, beside a guide's texts: where each language's text came from, as far as can
 * be known, and nothing more (written by `npm run content:stamp`):
 * - `leaflet`: written from the organisation's printed leaflet (`from`: the leaflets' languages,
 *   by default the text's own; `screens`: and the real site's screens);
 * - `translated`: written by the project from other texts of the guide (`from`, by default the
 *   reference), `machine-assisted` or not, not checked by a native reader;
 * - `reviewed`: checked by a named person (`by`) on a date. A role ("native-editor") is not a name.
 * `texts` holds the reference texts as they were when the entry was recorded (a short hash per
 * text id): a reference text changed since is named by the content check, and a review says so.
 */
const LanguageId = z.string().regex(/^[a-z]{2,3}$/, { error: 'must be a language id of locales/languages.json' });
const IsoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });
const Hash = z.string().regex(/^[0-9a-f]{8}$/, { error: 'must be the 8-character hash of the reference text' });

/** Words that name a role or a kind of check, never the person who made it. */
const ROLE_WORDS =
  /^(?:an? |the )?(?:independent|native|external|professional|machine|automatic|human)?[ -]?(?:editor|reviewer|translator|proofreader|checker|assisted|translation|relecteur|traducteur|team|équipe)s?$/i;

/** A person's name as a reviewer writes it: not a role word, not an identifier. */
export function personNameProblem(name: string): string | undefined {
  const n = name.trim();
  if (n.length < 2) return 'must be the name of the person who checked it';
  if (ROLE_WORDS.test(n) || /^[a-z]+(?:-[a-z]+)+$/.test(n))
    return `"${n}" names a role, not a person: a review is recorded with the name of the person who made it`;
  if (!/\p{L}/u.test(n)) return 'must be the name of the person who checked it';
  return undefined;
}
const PersonName = z.string().superRefine((name, ctx) => {
  const problem = personNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * A text's own record, where it differs from its language's: the hash alone (the text written as
 * the language's entry says, against that reference text), or, for a text published from the
 * editors' area, who did what on which day against that reference text: `translated` (wrote it),
 * `confirmed` (said it still says what the changed reference says) or `reviewed` (an account that
 * reads the language checked it against the reference, recorded with that account's name).
 */
const TextRecord = z.union([
  Hash,
  z.strictObject({ hash: Hash, status: z.enum(['translated', 'confirmed', 'reviewed']), by: PersonName, date: IsoDate }),
]);
export type TextRecord = z.infer<typeof TextRecord>;
const Hashes = z.record(z.string(), TextRecord).default({});
/** The reference text's hash a text's record holds. */
export const recordHash = (record: TextRecord | undefined) => (typeof record === 'object' ? record.hash : record);

const Entry = z.discriminatedUnion(
  'status',
  [
    z.strictObject({
      status: z.literal('leaflet'),
      from: z.array(LanguageId).min(1).optional(),
      screens: z.boolean().default(false),
      date: IsoDate.optional(),
      texts: Hashes,
    }),
    z.strictObject({
      status: z.literal('translated'),
      from: z.array(LanguageId).min(1).optional(),
      'machine-assisted': z.boolean({ error: 'say whether machine translation helped: true or false' }),
      date: IsoDate.optional(),
      texts: Hashes,
    }),
    z.strictObject({
      status: z.literal('reviewed'),
      by: PersonName,
      date: IsoDate,
      texts: Hashes,
    }),
  ],
  { error: 'status must be leaflet, translated or reviewed' },
);
export const TranslationsSchema = z.record(z.string(), Entry);
export type TranslationsFile = z.infer<typeof TranslationsSchema>;
export type ProvenanceEntry = TranslationsFile[string];

/** Where a language's text of a guide came from, as its page tells readers. */
export interface Provenance {
  status: ProvenanceEntry['status'];
  /** The languages it was written from: leaflets (leaflet) or texts of the guide (translated). */
  from: string[];
  /** Written from the leaflet and the real site's screens. */
  screens: boolean;
  machineAssisted: boolean;
  /** For a review: the person and the day. */
  by: string | undefined;
  date: string | undefined;
  /** Reference texts changed (or added) since the entry was recorded. */
  changed: string[];
  /** Of those, the day the reference text changed, where a publish recorded it (changes.yaml). */
  since: Map<string, string>;
  /** Each text's own record (translations.yaml). */
  texts: Record<string, TextRecord>;
}

/** The short hash of a reference text, as translations.yaml records it. */
export const textHash = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 8);

/** A language's provenance against the reference texts of today. */
export function provenanceOf(
  entry: ProvenanceEntry,
  language: string,
  reference: string,
  texts: ReadonlyMap<string, string>,
  history: readonly HistoryEntry[] = [],
): Provenance {
  // An entry recorded without the texts of its day (the reference itself) has nothing to compare.
  const stamped = Object.keys(entry.texts).length > 0;
  const changed = stamped ? [...texts].filter(([id, text]) => recordHash(entry.texts[id]) !== textHash(text)).map(([id]) => id) : [];
  // The newest publish of the reference that changed the text (history is newest first).
  const since = new Map<string, string>();
  for (const id of changed) {
    const at = history.find((h) => h.languages.includes(reference) && h.texts.includes(id));
    if (at) since.set(id, at.date);
  }
  const from = entry.status === 'reviewed' ? [] : (entry.from ?? [entry.status === 'leaflet' ? language : reference]);
  return {
    status: entry.status,
    from,
    screens: entry.status === 'leaflet' && entry.screens,
    machineAssisted: entry.status === 'translated' && entry['machine-assisted'],
    by: entry.status === 'reviewed' ? entry.by.trim() : undefined,
    date: entry.date,
    changed,
    since,
    texts: entry.texts,
  };
}

/**
 * A guide's translations.yaml read and checked (`file`: its name in problems): each declared
 * language's provenance against the reference texts of today and the guide's history.
 */
export function readProvenance(
  dir: string,
  file: string,
  guide: { slug: string; languages: Language[]; reference: Language; registry: Registry; texts: ReadonlyMap<string, string>; history: readonly HistoryEntry[] },
  at: Report,
): Map<string, Provenance> {
  const provenance = new Map<string, Provenance>();
  const raw = existsSync(join(dir, 'translations.yaml')) ? readYaml(join(dir, 'translations.yaml'), file, at) : {};
  const parsed = TranslationsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const i of parsed.error.issues) at(file, zodPath(i.path), i.message);
    return provenance;
  }
  const { slug, languages, reference, registry } = guide;
  for (const l of languages) {
    const entry = parsed.data[l.id];
    if (!entry) {
      at(file, l.id, `missing: say where the ${l.name} text came from (npm run content:stamp -- ${slug} ${l.id} --status …)`);
      continue;
    }
    const p = provenanceOf(entry, l.id, reference.id, guide.texts, guide.history);
    p.from.forEach((id, n) => {
      const path = `${l.id}.from[${n}]`;
      if (!registry.get(id)) at(file, path, `"${id}" is not a language of locales/languages.json`);
      else if (p.status === 'translated' && (id === l.id || !languages.some((g) => g.id === id)))
        at(file, path, `"${id}" is not another language of this guide: a translation is made from the guide's other texts`);
    });
    if (l === reference && Object.keys(entry.texts).length) at(file, `${l.id}.texts`, 'the reference is not compared with itself: remove texts');
    provenance.set(l.id, p);
  }
  return provenance;
}
