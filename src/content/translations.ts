import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * translations.yaml, beside a guide's texts: for each language but the reference, who checked the
 * translation, when, and the reference texts it was checked against (a short hash per text id),
 * written by `npm run content:stamp`. A reference text changed since makes the translation
 * unreviewed again, and the content check names the texts to look at.
 */
export const TranslationsSchema = z.record(
  z.string(),
  z.strictObject({
    status: z.enum(['reviewed', 'unreviewed']),
    /** Who checked it (a UI string translation.by.<by> in each language). */
    by: z.enum(['native-editor', 'independent-editor', 'machine-assisted']),
    date: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
    /** The reference texts it was checked against: text id → hash. */
    from: z.record(z.string(), z.string().regex(/^[0-9a-f]{8}$/)).default({}),
  }),
);
export type TranslationsFile = z.infer<typeof TranslationsSchema>;

export interface Translation {
  /** reviewed only while every reference text is the one it was checked against. */
  status: 'reviewed' | 'unreviewed';
  by: TranslationsFile[string]['by'];
  date: string;
  /** Reference texts changed (or added) since it was checked. */
  changed: string[];
}

/** The short hash of a reference text, as translations.yaml records it. */
export const textHash = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 8);

/** A translation's status against the reference texts of today. */
export function translationStatus(entry: TranslationsFile[string], reference: ReadonlyMap<string, string>): Translation {
  // A translation recorded without the texts it was made from has nothing to compare.
  const stamped = Object.keys(entry.from).length > 0;
  const changed = stamped ? [...reference].filter(([id, text]) => entry.from[id] !== textHash(text)).map(([id]) => id) : [];
  return { status: entry.status === 'reviewed' && changed.length === 0 ? 'reviewed' : 'unreviewed', by: entry.by, date: entry.date, changed };
}
