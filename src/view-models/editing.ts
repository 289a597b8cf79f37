import type { TFunction } from 'i18next';
import type { Guide } from '../content/catalogue.js';
import { guideFields, stepOfTexts } from '../content/parts.js';
import { type ContentIssue, zodPath } from '../content/read.js';
import type { Language, Registry } from '../languages.js';
import type { Change } from '../store/changes.js';
import { urls } from '../urls.js';
import { wordDiff } from './diff.js';
import { guideTexts } from './texts.js';

type StepReports = ReadonlyMap<number, { count: number; latest: ReadonlyArray<{ kind: string; comment: string; created_at: string }> }>;

/** The id of a text's edit box, and of its row (the anchor a report links to); in a page of several guides, with the guide's. */
export const textAnchor = (id: string, guide?: string) => `text-${guide ? `${guide}-` : ''}${id.replace(/\./g, '-')}`;

/**
 * One guide's texts in one language for editing, in the file's order, grouped as the file groups
 * them (title and summary, before you start, the steps, …): for each, the published text, the
 * draft as typed, the reference text beside a translation, the problems the content check finds
 * in the draft, and the open reports of its step.
 */
export function editTextsView(
  deps: { registry: Registry },
  e: TFunction,
  guide: Guide,
  language: Language,
  data: {
    published: ReadonlyMap<string, string>;
    reference: ReadonlyMap<string, string> | undefined;
    /** The guide's facts (facts.<id> → value), on its reference language's page. */
    facts: ReadonlyMap<string, string> | undefined;
    drafts: readonly Change[];
    issues: readonly ContentIssue[];
    reports: StepReports;
    /** Each step's screens answered in this language over the last 30 days. */
    screens: ReadonlyMap<number, { yes: number; no: number; sources: number }>;
    /** Translations older than their reference text: the day it changed (if known), the text they were written against (if known) and today's. */
    outdated: ReadonlyMap<string, { since: string; old: string | undefined; now: string }>;
    /** Where the texts' forms are sent. */
    action: string;
    /** The guide, in anchors, on a page of several guides. */
    anchors?: string | undefined;
  },
) {
  const steps = stepOfTexts(guide.sections);
  const drafts = new Map(data.drafts.filter((d) => d.language === language.id).map((d) => [d.text_id, d]));
  const factDrafts = new Map(data.drafts.filter((d) => d.language === '').map((d) => [d.text_id, d]));
  // Which text or fact of this page an issue of the content check is about, if any.
  const inFile = (i: ContentIssue, name: string) => i.file.replace(/\\/g, '/').endsWith(`guides/${guide.slug}/${name}`);
  const textOf = (i: ContentIssue) => (inFile(i, `${language.id}.yaml`) && data.published.has(i.path) ? i.path : undefined);
  // Where each field editors change is in guide.yaml, as the content check names it (an item's status: the item).
  const fields = guideFields(guide);
  const issuePath = (id: string) => {
    const field = fields.get(id);
    return field?.item ? zodPath(field.path.slice(0, -1)) : id;
  };
  // An issue names the field by its id (a missing source) or by where it is in the file (the content check).
  const factOf = (i: ContentIssue) =>
    inFile(i, 'guide.yaml')
      ? [...(data.facts?.keys() ?? [])].find((id) => [id, issuePath(id)].some((p) => i.path === p || i.path.startsWith(`${p}.`)))
      : undefined;
  const anchored = new Set<number>();
  const groups: Array<{
    id: string;
    texts: Array<{ id: string; missing: boolean; outdated?: { since: string; diff: unknown } | undefined; [more: string]: unknown }>;
  }> = [];
  for (const [id, published] of data.published) {
    const group = id.split('.')[0]!;
    if (groups.at(-1)?.id !== group) groups.push({ id: group, texts: [] });
    const draft = drafts.get(id);
    const step = steps.get(id);
    const reports = step ? data.reports.get(step) : undefined;
    const outdated = data.outdated.get(id);
    groups.at(-1)!.texts.push({
      id,
      anchor: textAnchor(id, data.anchors),
      action: data.action,
      outdated: outdated && { since: outdated.since, diff: outdated.old === undefined ? undefined : wordDiff(outdated.old, outdated.now) },
      mark: draft?.mark ?? '',
      field: `text.${id}`,
      step: step ? e('dashboard.step', { n: step }) : '',
      // The first text of each step carries the step's anchor: a report's link lands on it.
      stepAnchor: step && !anchored.has(step) && anchored.add(step) ? `step-${step}` : '',
      published,
      // A draft language's text not written yet.
      missing: data.reference !== undefined && published === '',
      reference: data.reference?.get(id),
      value: draft?.value ?? published,
      changed: Boolean(draft),
      // The published text moved since the draft started from it.
      conflict: draft !== undefined && draft.base !== published,
      problems: data.issues.filter((i) => textOf(i) === id).map((i) => i.message),
      screens: step ? data.screens.get(step) : undefined,
      reports: reports && {
        count: reports.count,
        latest: reports.latest.map((r) => ({ kind: e(`kinds.${r.kind}`), comment: r.comment, at: r.created_at.replace('T', ' ').slice(0, 16) })),
      },
    });
  }
  const reference = guide.reference === language ? undefined : guide.reference;
  const site = guide.siteLanguage;
  const facts = [...(data.facts ?? [])].map(([id, published]) => {
    const isFact = id.startsWith('facts.');
    const fact = isFact ? guide.facts[id.slice('facts.'.length)] : undefined;
    const draft = factDrafts.get(id);
    const lang = fact?.kind === 'ui' ? (deps.registry.get(fact.lang ?? '') ?? site) : undefined;
    const item = fields.get(id)?.item;
    return {
      id,
      // A fact by its id, as texts cite it; another field of guide.yaml by what it is.
      name: isFact ? id.slice('facts.'.length) : '',
      label: isFact ? '' : item ? e('edit.fields.status', { name: item.name }) : e(`edit.fields.${id}`),
      field: isFact ? `fact.${id.slice('facts.'.length)}` : `field.${id}`,
      input: id === 'checked.date' ? 'date' : item ? 'status' : 'text',
      sourced: isFact || item !== undefined,
      anchor: textAnchor(id),
      kind: fact ? e(`edit.kinds.${fact.kind}`) : '',
      lang: lang?.lang ?? 'en',
      dir: lang?.dir ?? 'ltr',
      published,
      value: draft?.value ?? published,
      source: draft?.source ?? '',
      checked: draft?.checked ?? '',
      changed: Boolean(draft),
      conflict: draft !== undefined && draft.base !== published,
      problems: data.issues.filter((i) => factOf(i) === id).map((i) => i.message),
    };
  });
  return {
    action: data.action,
    facts,
    // A draft language (not yet published) may not have its title yet.
    title: guideTexts(guide, guide.texts.get(language.id)?.has('title') ? language : guide.reference, deps.registry).plain('title'),
    draft: !guide.languages.includes(language),
    missing: [...data.published.values()].filter((text) => data.reference !== undefined && text === '').length,
    total: data.published.size,
    language: { id: language.id, name: language.name, lang: language.lang, dir: language.dir },
    reference: reference && { name: reference.name, lang: reference.lang, dir: reference.dir },
    referenceEdit: urls.editor.edit(guide.slug, guide.reference.id),
    live: urls.guide(language, guide.slug),
    preview: urls.editor.preview(urls.guide(language, guide.slug)),
    groups,
    // Problems the check finds outside any one text (a file's syntax, another file).
    elsewhere: data.issues.filter((i) => !textOf(i) && !factOf(i)).map((i) => `${i.file}: ${i.path || '(whole file)'}: ${i.message}`),
  };
}
