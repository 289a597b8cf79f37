import type { TFunction } from 'i18next';
import type { Catalogue } from '../content/catalogue.js';
import { stepOfTexts } from '../content/parts.js';
import type { ContentIssue } from '../content/read.js';
import type { Registry } from '../languages.js';
import type { Change, ChangeSet } from '../store/changes.js';
import { urls } from '../urls.js';

type Row = Pick<ChangeSet, 'id' | 'author' | 'status' | 'summary' | 'updated_at' | 'published_by' | 'published_at' | 'revision'>;

const line = (e: TFunction, s: Row) => ({
  id: s.id,
  href: urls.editor.change(s.id),
  author: s.author,
  status: s.status,
  statusName: e(`changes.status.${s.status}`),
  summary: s.summary,
  at: (s.published_at ?? s.updated_at).replace('T', ' ').replace('Z', ''),
  publishedBy: s.published_by,
  revision: s.revision?.slice(0, 12) ?? '',
});

/** The editor's drafts, the change sets waiting for a review or a publish, and the last published ones. */
export function changeSetsView(e: TFunction, data: { drafts: Row[]; waiting: Row[]; published: Row[] }) {
  return { drafts: data.drafts.map((s) => line(e, s)), waiting: data.waiting.map((s) => line(e, s)), published: data.published.map((s) => line(e, s)) };
}

/** The steps whose texts these changes rewrite, each in its language: where the readers' reports that led to them are. */
export function changedSteps(catalogue: Catalogue, changes: readonly Change[]) {
  const steps = new Map<string, { guide: string; step: number; language: string }>();
  for (const c of changes) {
    const guide = catalogue.get(c.guide);
    const step = c.language && guide ? stepOfTexts(guide.sections).get(c.text_id) : undefined;
    if (step) steps.set(`${c.guide} ${step} ${c.language}`, { guide: c.guide, step, language: c.language });
  }
  return [...steps.values()];
}

/**
 * A change set for its review: each change as the published text it started from beside the new
 * one, each in its own language and direction (Arabic beside French never reorders), the published
 * text of today where it moved since (a conflict), the content check's problems, its approvals, and
 * what the signed-in account may do with it now.
 */
export function changeSetView(
  deps: { registry: Registry; catalogue: Catalogue },
  e: TFunction,
  set: ChangeSet,
  data: {
    me: string;
    current: ReadonlyMap<Change, string | undefined>;
    issues: readonly ContentIssue[];
    required: number;
    /** The open reports on the steps it changes (changedSteps), which a publish may mark handled. */
    open: number;
    may: { submit: boolean; approve: boolean; reject: boolean; publish: boolean; revert: boolean; handle: boolean };
  },
) {
  const mine = set.author === data.me;
  const approvedByMe = set.approvals.some((a) => a.reviewer === data.me);
  return {
    ...line(e, set),
    title: e('changes.one', { id: set.id }),
    comment: set.comment,
    changes: set.changes.map((c) => {
      // A fact (no language) is written on the guide's reference page, in the site's language.
      const reference = deps.catalogue.get(c.guide)?.reference.id ?? 'fr';
      const language = deps.registry.get(c.language || reference);
      const now = data.current.get(c);
      return {
        where: `${c.guide} · ${c.language ? (language?.name ?? c.language) : e('edit.kinds.fact')} · ${c.text_id}`,
        edit: `${urls.editor.edit(c.guide, c.language || reference)}#text-${c.text_id.replace(/\./g, '-')}`,
        checked: c.source ? e('changes.checked', { source: c.source, date: c.checked ?? '' }) : '',
        lang: language?.lang ?? c.language,
        dir: language?.dir ?? 'auto',
        base: c.base,
        value: c.value,
        conflict: set.status !== 'published' && now !== c.base,
        now: now ?? '',
      };
    }),
    // Each guide and language the change set touches, as readers will get it (a draft language has no readers' page yet).
    previews: [...new Set(set.changes.map((c) => `${c.language || (deps.catalogue.get(c.guide)?.reference.id ?? 'fr')}/${c.guide}`))].flatMap((key) => {
      const [language, guide] = key.split('/') as [string, string];
      const l = deps.registry.get(language);
      if (!deps.catalogue.get(guide)?.languages.some((g) => g.id === language)) return [];
      return [{ href: urls.editor.preview(`/${language}/guides/${guide}`, set.id), label: `${guide} · ${l?.name ?? language}` }];
    }),
    problems: data.issues.map((i) => `${i.file}: ${i.path || '(whole file)'}: ${i.message}`),
    approvals: set.approvals.map((a) => e('changes.approvedBy', { name: a.reviewer, at: a.at.replace('T', ' ').replace('Z', '') })),
    required: data.required,
    open: data.open,
    can: {
      submit: mine && data.may.submit && set.status === 'draft' && set.changes.length > 0,
      approve: !mine && data.may.approve && set.status === 'submitted' && !approvedByMe,
      reject: data.may.reject && (set.status === 'submitted' || set.status === 'approved'),
      publish: data.may.publish && set.status === 'approved',
      handle: data.may.publish && data.may.handle && set.status === 'approved' && data.open > 0,
      revert: data.may.revert && set.status === 'published',
    },
  };
}
