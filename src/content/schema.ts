import { z } from 'zod';

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
export const FactSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ui'), value: z.string().min(1), lang: z.string().optional() }),
  z.strictObject({ kind: z.literal('code'), value: z.string().min(1) }),
  z.strictObject({ kind: z.literal('phone'), value: z.string().regex(/^\+?[0-9][0-9 ]{2,20}$/, 'must be digits and spaces') }),
  z.strictObject({ kind: z.literal('url'), value: z.url({ protocol: /^https?$/ }) }),
]);
export type Fact = z.infer<typeof FactSchema>;

export const StepSchema = z.strictObject({
  /** Text id of the step's instruction. */
  id: TextId,
});
export type Step = z.infer<typeof StepSchema>;

export const BlockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), id: TextId }),
  z.strictObject({ type: z.literal('list'), items: z.array(TextId).min(1) }),
  z.strictObject({ type: z.literal('callout'), id: TextId, tone: z.enum(['info', 'warning']).default('info') }),
  z.strictObject({ type: z.literal('steps'), steps: z.array(StepSchema).min(1) }),
]);
export type Block = z.infer<typeof BlockSchema>;

export const SectionSchema = z.strictObject({
  /** The section's anchor; its heading is the text "<id>.title". */
  id: FactId,
  blocks: z.array(BlockSchema).min(1),
});
export type Section = z.infer<typeof SectionSchema>;

const IsoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });

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
  checked: z.strictObject({ date: IsoDate, url: z.url({ protocol: /^https$/ }).optional() }),
  facts: z.record(FactId, FactSchema).default({}),
  sections: z.array(SectionSchema).min(1),
});
export type GuideFile = z.infer<typeof GuideSchema>;
