import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The registry of languages, read from locales/languages.json: adding a language is
 * adding an entry there and a folder of UI strings beside it, never code.
 */
const LanguageSchema = z.strictObject({
  /** Used in URLs and file names. */
  id: z.string().regex(/^[a-z]{2,3}$/),
  /** BCP 47 tag for lang and hreflang. */
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/),
  dir: z.enum(['ltr', 'rtl']),
  /** The language's name in its own script. */
  name: z.string().min(1),
  /** Tag given to Intl for dates (calendar and digits). */
  intl: z.string().min(2),
  /**
   * How the language writes a date when Intl's long form is not how its readers write it: {day},
   * {month} and {year} are Intl's parts (Pashto: "د {year} کال د {month} په {day}مه").
   */
  datePattern: z
    .string()
    .regex(/\{day\}/)
    .regex(/\{month\}/)
    .regex(/\{year\}/)
    .optional(),
  /** A country whose pages write dates otherwise (Moroccan Arabic names its months نونبر, دجنبر): its Intl tag. */
  intlByCountry: z.record(z.string().regex(/^[A-Z]{2}$/), z.string().min(2)).default({}),
  /** Script of running text: a Latin-script text may not contain Arabic letters outside marked terms. */
  script: z.enum(['Latn', 'Arab']),
  /** Characters that do not belong to the language's orthography, with what to write instead. */
  forbidden: z.array(z.strictObject({ char: z.string().min(1), use: z.string(), why: z.string() })),
});

export type Language = z.infer<typeof LanguageSchema>;

export interface Registry {
  all: readonly Language[];
  get(id: string): Language | undefined;
  /** Best language for an Accept-Language header, or the first of the registry. */
  negotiate(acceptLanguage: string | undefined): Language;
}

export function loadLanguages(localesDir: string): Registry {
  const file = join(localesDir, 'languages.json');
  const parsed = z
    .array(LanguageSchema)
    .min(1)
    .safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`);
    throw new Error(lines.join('\n'));
  }
  return createRegistry(parsed.data);
}

export function createRegistry(languages: Language[]): Registry {
  const byId = new Map(languages.map((l) => [l.id, l]));
  const first = languages[0]!;
  return {
    all: languages,
    get: (id) => byId.get(id),
    negotiate(header) {
      for (const range of parseAcceptLanguage(header)) {
        const found = languages.find((l) => matches(range, l));
        if (found) return found;
      }
      return first;
    },
  };
}

/** Language ranges of an Accept-Language header, best first; q=0 ranges dropped. At most 32 are read. */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .slice(0, 1024)
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
      return { range: range.trim().toLowerCase(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((r) => /^[a-z]{1,8}(-[a-z0-9]{1,8})*$|^\*$/.test(r.range) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((r) => r.range);
}

/** A range matches a language by its tag or its id, exactly or by prefix: "fa" and "fa-af" match Dari, "ar-ma" Arabic. */
function matches(range: string, language: Language): boolean {
  if (range === '*') return false;
  const tag = language.lang.toLowerCase();
  const primary = range.split('-')[0]!;
  return range === tag || range === language.id || primary === tag.split('-')[0] || primary === language.id;
}
