import { z } from 'zod';
import { REF } from './markup.js';

/** A text id: lower-case words joined by "-", grouped by ".", e.g. "login.open-site". */
export const TextId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/, 'must be lower-case words joined by "-" and grouped by "."');

const FactId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"');

/**
 * A language-independent fact that texts cite as {fact-id}: an on-screen label of the real
 * site (shown as it appears, in the site's language), a literal code or number, a phone
 * number, or an address on an official site.
 */
/** Where a fact changed by an editor was checked, and when (both or neither). */
const Checked = { source: z.string().min(1).max(300).optional(), date: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional() };
export const FactSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ui'), value: z.string().min(1), lang: z.string().optional(), ...Checked }),
  z.strictObject({ kind: z.literal('code'), value: z.string().min(1), ...Checked }),
  z.strictObject({ kind: z.literal('phone'), value: z.string().regex(/^\+?[0-9][0-9 ]{2,20}$/, 'must be digits and spaces'), ...Checked }),
  z.strictObject({ kind: z.literal('url'), value: z.url({ protocol: /^https?$/ }), ...Checked }),
]);
export type Fact = z.infer<typeof FactSchema>;

const Key = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"');

/** One field of a form as the real site shows it: its label in the site's own words and language. */
export const FieldSchema = z.strictObject({
  /** The number the guide's sub-steps give this field, when they list the fields one by one. */
  mark: z.number().int().min(1).optional(),
  /** Absent where the site shows none (a choice whose options speak for themselves). */
  label: z.string().min(1).optional(),
  /** Language of the label, when not the site language (a registry id). */
  lang: z.string().optional(),
  /** The same label in a second language, as bilingual sites show it ("Numéro de CNI / رقم البطاقة …"). */
  also: z.strictObject({ text: z.string().min(1), lang: z.string() }).optional(),
  type: z.enum(['text', 'date', 'email', 'tel', 'password', 'select', 'choice', 'checkbox', 'captcha']),
  placeholder: z.string().optional(),
  /** The choices of a select or choice field, as the site writes them. */
  options: z.array(z.string().min(1)).optional(),
});
export type Field = z.infer<typeof FieldSchema>;

/** A screen of the real site, rendered as a simple picture of its fields: "what you will see on screen". */
export const ScreenSchema = z.strictObject({
  title: z.string().min(1),
  /** Language of the screen's texts, when not the site language (a registry id). */
  lang: z.string().optional(),
  /** The progress the site shows, e.g. "30%". */
  progress: z.string().optional(),
  /** Messages the site shows on that screen, in its own words; one in another language (a bilingual site) says which. */
  messages: z.array(z.union([z.string().min(1), z.strictObject({ text: z.string().min(1), lang: z.string() })])).default([]),
  fields: z.array(FieldSchema).default([]),
  buttons: z.array(z.string().min(1)).default([]),
});
export type Screen = z.infer<typeof ScreenSchema>;

/** A branch of a step ("if you chose …", "if the portal says …"): shown under the step, never numbered as a step. */
export const BranchSchema = z.strictObject({ key: Key, id: TextId, screens: z.array(Key).default([]) });

export const StepSchema = z.strictObject({
  /** Text id of the step's instruction. */
  id: TextId,
  /** The step's actions one by one, numbered (1), (2)… to match the fields of its screen. */
  substeps: z.array(TextId).default([]),
  screens: z.array(Key).default([]),
  branches: z.array(BranchSchema).default([]),
});
export type Step = z.infer<typeof StepSchema>;

const IsoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });
const Https = z.url({ protocol: /^https$/ });

/** A card of things to have, e.g. an identity provider and what it asks for. Texts: <block>.<key>.<check>, .notice, .note. */
export const ChecklistItemSchema = z
  .strictObject({
    key: Key,
    /** The name as the real site writes it (not translated). */
    name: z.string().min(1),
    url: Https.optional(),
    /** current: as in the leaflet; withdrawn: no longer offered; new: not in the leaflet. */
    status: z.enum(['current', 'withdrawn', 'new']).default('current'),
    /** For a withdrawn or new item: the day it was seen so, and where. */
    date: IsoDate.optional(),
    source: Https.optional(),
    checks: z.array(Key),
    note: z.boolean().default(false),
  })
  .refine((i) => i.status === 'current' || (i.date && i.source), {
    message: 'a withdrawn or new item needs the date and the source of that fact',
  });

/** A link to a page of Dalil: "guide:<slug>#<section>" or "tool:<tool-id>". */
export const RefSchema = z.string().regex(REF, 'must be guide:<slug>#<section> or tool:<tool-id>');

/** Makes the block an interactive tool at /:locale/tools/<tool>; its texts <id>.tool.title and <id>.tool.intro. */
const ToolKey = Key.optional();

export const BlockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), id: TextId }),
  z.strictObject({ type: z.literal('heading'), id: TextId }),
  z.strictObject({ type: z.literal('list'), items: z.array(TextId).min(1) }),
  /** A highlighted note; with a date and a source it is a dated notice of a change. */
  z.strictObject({
    type: z.literal('callout'),
    id: TextId,
    tone: z.enum(['info', 'warning']).default('info'),
    date: IsoDate.optional(),
    source: Https.optional(),
  }),
  z.strictObject({ type: z.literal('steps'), steps: z.array(StepSchema).min(1) }),
  /** Cards with a checklist each; texts <id>.conclusion and per item. */
  z.strictObject({ type: z.literal('checklists'), id: TextId, tool: ToolKey, items: z.array(ChecklistItemSchema).min(1) }),
  /**
   * Term and detail pairs (who → where to go); texts <id>.<key>.term and <id>.<key>.detail. An
   * item may name the official site of where it leads (`url`), and say that a notice of the guide
   * (`note`: the text id of one of its dated callouts, e.g. what to bring) goes with its answer.
   */
  z.strictObject({
    type: z.literal('pairs'),
    id: TextId,
    tool: ToolKey,
    note: TextId.optional(),
    items: z.array(z.strictObject({ key: Key, value: Key.optional(), url: Https.optional(), note: z.boolean().default(false) })).min(1),
  }),
  /** Yes/no questions asked in order, each "no" ending in its outcome; texts <id>.start, <id>.<q>.question, <id>.<q>.no, <id>.yes. */
  z.strictObject({
    type: z.literal('decision'),
    id: TextId,
    tool: ToolKey,
    /** Each question's key, and the key of the outcome its "no" leads to. */
    questions: z.array(z.strictObject({ key: Key, no: Key })).min(1),
    /** The key of the outcome when every answer is yes. */
    yes: Key,
    /** Pages to offer with each outcome, by outcome key. */
    links: z.record(Key, z.array(RefSchema)).default({}),
  }),
]);
export type Block = z.infer<typeof BlockSchema>;

export const SectionSchema = z.strictObject({
  /** The section's anchor; its heading is the text "<id>.title". */
  id: FactId,
  blocks: z.array(BlockSchema).min(1),
});
export type Section = z.infer<typeof SectionSchema>;

/** guide.yaml: what does not depend on language. */
export const GuideSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  /** ISO 3166 country code; its name is the UI string countries.<code>. */
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 code such as FR or MA'),
  /** Position in the catalogue within its country. */
  order: z.number().int().default(100),
  /** The languages the guide is written in: each has a complete <id>.yaml. */
  languages: z.array(z.string()).min(1),
  /** Language of the real site's on-screen labels. */
  siteLanguage: z.string(),
  /** The official site of the procedure. */
  site: z.url({ protocol: /^https$/ }),
  /** Domains (and their subdomains) that texts may link to. */
  domains: z.array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/)).min(1),
  /** When and against what the guide was last checked; the source's name is the text "checked.source". */
  checked: z.strictObject({
    date: IsoDate,
    url: Https.optional(),
    /** A note under the guide on where its facts come from (the text "checked.note"), when one line cannot say it. */
    note: z.boolean().default(false),
  }),
  /** How often it must be checked again: past checked.date + every, its pages say the site may have changed. */
  review: z.strictObject({ every: z.string().regex(/^[1-9][0-9]{0,2} (day|week|month|year)s?$/, 'must be a period such as "6 months" or "1 year"') }),
  /** The language every translation is checked against, and the one shown as the reference. */
  reference: z.string().default('fr'),
  facts: z.record(FactId, FactSchema).default({}),
  /**
   * Where a reader stuck on this procedure gets help: the official help page, its phone (a fact
   * of kind phone), and an official finder of places where a person helps (with the dated page
   * that says it is one). Shown where an answer leads nowhere else: after a "No" to a screen, and
   * in the tools' answers that send the reader to someone who can help.
   */
  help: z
    .strictObject({
      site: Https,
      phone: FactId.optional(),
      places: z.strictObject({ url: Https, date: IsoDate, source: Https }).optional(),
    })
    .optional(),
  /** Screens of the real site that steps show, by key. */
  screens: z.record(Key, ScreenSchema).default({}),
  sections: z.array(SectionSchema).min(1),
});
export type GuideFile = z.infer<typeof GuideSchema>;
