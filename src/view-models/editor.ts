import type { TFunction } from 'i18next';
import type { Catalogue } from '../content/catalogue.js';
import type { EditorLanguage } from '../i18n.js';
import type { Registry } from '../languages.js';
import { GROUPS_PER_PAGE, type OpenGroup } from '../store/feedback.js';
import { urls } from '../urls.js';
import { guideTexts } from './texts.js';

interface Share {
  guide: string;
  step: number;
  screen: string;
  yes: number;
  no: number;
  noShare: number;
  sources: number;
}

/** The editors' dashboard: open reports by guide, step and language; screens' "No" share; guides past their review date. */
export function dashboardView(
  deps: { catalogue: Catalogue; registry: Registry },
  e: TFunction,
  language: EditorLanguage,
  data: { open: OpenGroup[]; total: number; page: number; shares: Share[]; today: string; csrf: string },
) {
  const reader = deps.registry.get(language)!;
  /** A guide's title in the editor's language, or in French, or its slug if it is gone from the content. */
  const title = (slug: string) => {
    const guide = deps.catalogue.get(slug);
    if (!guide) return slug;
    const l = guide.languages.includes(reader) ? reader : guide.reference;
    return guideTexts(guide, l, deps.registry).plain('title');
  };
  const percent = (x: number) => `${Math.round(x * 100)} %`;
  return {
    open: data.open.map((g) => ({
      guide: title(g.guide),
      where: g.tool ?? e('dashboard.step', { n: g.step }),
      href: g.tool
        ? urls.tool(deps.registry.get(g.language) ?? reader, g.tool)
        : urls.guide(deps.registry.get(g.language) ?? reader, g.guide) + urls.step(g.step!),
      language: deps.registry.get(g.language)?.name ?? g.language,
      // The texts of that step in that language, to fix them.
      edit: g.step !== null && deps.catalogue.get(g.guide) ? `${urls.editor.edit(g.guide, g.language)}#step-${g.step}` : '',
      count: g.count,
      latest: g.latest.map((l) => ({ kind: e(`kinds.${l.kind}`), comment: l.comment, at: l.created_at.replace('T', ' ').slice(0, 16) })),
      // What "mark handled" posts: the group, and the session's CSRF token.
      fields: [
        { name: 'guide', value: g.guide },
        { name: 'step', value: g.step === null ? '' : String(g.step) },
        { name: 'tool', value: g.tool ?? '' },
        { name: 'language', value: g.language },
        { name: 'csrf', value: data.csrf },
      ],
    })),
    shares: data.shares.map((s) => ({
      guide: title(s.guide),
      step: e('dashboard.step', { n: s.step }),
      screen: s.screen,
      answers: s.yes + s.no,
      sources: s.sources,
      noShare: percent(s.noShare),
    })),
    // Pages of open groups: links to the others, when there are more than one.
    pages:
      data.total > GROUPS_PER_PAGE
        ? Array.from({ length: Math.ceil(data.total / GROUPS_PER_PAGE) }, (_, i) => ({
            n: i + 1,
            href: `${urls.editor.home}?page=${i + 1}`,
            current: i === data.page,
          }))
        : [],
    total: data.total,
    overdue: deps.catalogue.guides
      .filter((g) => data.today >= g.reviewDue)
      .map((g) => ({ guide: title(g.slug), line: e('dashboard.checked', { date: g.checkedDate, due: g.reviewDue }) })),
    csv: urls.editor.csv,
    handle: urls.editor.handle,
  };
}

/**
 * Every guide in every language it is written in, for the editors: its open reports, its screens
 * answered "No" (30 days), where its text came from, the reference texts changed since it was
 * written, and the day the guide is due for review.
 */
export function guidesView(
  deps: { catalogue: Catalogue; registry: Registry },
  e: TFunction,
  language: EditorLanguage,
  data: { open: ReadonlyMap<string, number>; no: ReadonlyMap<string, number>; today: string },
) {
  const reader = deps.registry.get(language)!;
  return deps.catalogue.guides.map((guide) => ({
    slug: guide.slug,
    title: guideTexts(guide, guide.languages.includes(reader) ? reader : guide.reference, deps.registry).plain('title'),
    due: guide.reviewDue,
    overdue: data.today >= guide.reviewDue,
    // Its languages, then its drafts (a language's file, not yet in `languages`): their texts not written yet.
    languages: deps.registry.all
      .filter((l) => guide.texts.has(l.id))
      .map((l) => {
        const provenance = guide.provenance.get(l.id);
        const key = `${guide.slug}/${l.id}`;
        const draft = !guide.languages.includes(l);
        const coverage = deps.catalogue.coverage.find((c) => c.slug === guide.slug && c.language === l.id);
        return {
          id: l.id,
          name: l.name,
          href: draft ? urls.editor.edit(guide.slug, l.id) : urls.guide(l, guide.slug),
          reference: l === guide.reference,
          draft,
          status: draft ? e('guides.draft') : provenance ? e(`guides.status.${provenance.status}`) : '',
          changed: provenance?.changed.length ?? 0,
          missing: draft && coverage ? coverage.total - coverage.covered : 0,
          queue: urls.editor.translations(l.id),
          xliff: urls.editor.xliff(guide.slug, l.id),
          open: data.open.get(key) ?? 0,
          no: data.no.get(key) ?? 0,
        };
      }),
  }));
}
