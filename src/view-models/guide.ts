import type { TFunction } from 'i18next';
import type { Guide } from '../content/catalogue.js';
import type { HistoryEntry } from '../content/history.js';
import { guideFields } from '../content/parts.js';
import { guideRevision } from '../content/revision.js';
import type { Language, Registry } from '../languages.js';
import { formatDate } from '../render/dates.js';
import { displayUrl, escapeHtml, sourceText, tHtml } from '../render/html.js';
import { urls } from '../urls.js';
import { provenanceLine } from './provenance.js';
import { guideTexts } from './texts.js';

/** What a guide page shows, in one language: every text rendered to safe HTML, steps numbered in reading order. */
export function guideView(guide: Guide, language: Language, registry: Registry, t: TFunction, today: string) {
  const { html, plain } = guideTexts(guide, language, registry);
  const date = (iso: string | undefined) => (iso ? formatDate(iso, language, guide.country) : '');
  const source = (href: string | undefined) => (href ? { href, text: sourceText(href) } : undefined);
  const langOf = (id: string | undefined, fallback: Language) => {
    const l = (id && registry.get(id)) || fallback;
    return { lang: l.lang, dir: l.dir };
  };
  /** A screen picture; its key and step name it in "does your screen look like this?". */
  const screen = (step: number) => (key: string) => {
    const sc = guide.screens[key]!;
    const base = (sc.lang && registry.get(sc.lang)) || guide.siteLanguage;
    return {
      key,
      step,
      ...langOf(undefined, base),
      title: sc.title,
      progress: sc.progress ?? '',
      messages: sc.messages.map((m) => (typeof m === 'string' ? { text: m, ...langOf(undefined, base) } : { text: m.text, ...langOf(m.lang, base) })),
      buttons: sc.buttons,
      fields: sc.fields.map((f) => ({
        ...langOf(f.lang, base),
        mark: f.mark ?? '',
        label: f.label ?? '',
        also: f.also ? { text: f.also.text, ...langOf(f.also.lang, base) } : undefined,
        type: f.type,
        placeholder: f.placeholder ?? '',
        options: f.options ?? [],
      })),
    };
  };
  const anchor = (id: string, key: string) => `${id.replace(/\./g, '-')}-${key}`;
  let n = 0;
  // A section one of whose texts is older than the reference's text says so (never the reference itself).
  const provenance = guide.provenance.get(language.id);
  const reference = guideTexts(guide, guide.reference, registry);
  const outdated = (section: string) => {
    const ids = language === guide.reference ? [] : (provenance?.changed.filter((id) => id.startsWith(`${section}.`)) ?? []);
    if (!ids.length) return undefined;
    const since =
      ids
        .map((id) => provenance!.since.get(id) ?? '')
        .sort()
        .pop() ?? '';
    const r = guide.reference;
    const a = `<a href="${escapeHtml(urls.guide(r, guide.slug))}#${section}" hreflang="${r.lang}" lang="${r.lang}" dir="${r.dir}">${reference.html(`${section}.title`)}</a>`;
    const link = language.dir === 'rtl' ? `<bdi>${a}</bdi>` : a;
    const names = { reference: t(`languageNames.${r.id}`) };
    return {
      since,
      html: since ? tHtml(t, 'provenance.outdated', { link }, { ...names, date: date(since) }) : tHtml(t, 'provenance.outdatedUndated', { link }, names),
    };
  };
  const sections = guide.sections.map((s) => ({
    id: s.id,
    title: html(`${s.id}.title`),
    outdated: outdated(s.id),
    blocks: s.blocks.map((b) => {
      switch (b.type) {
        case 'text':
        case 'heading':
          return { type: b.type, html: html(b.id) };
        case 'callout':
          return { type: b.type, tone: b.tone, html: html(b.id), date: date(b.date), source: source(b.source) };
        case 'list':
          return { type: b.type, items: b.items.map(html) };
        case 'steps':
          return {
            type: b.type,
            start: n + 1,
            steps: b.steps.map((st) => {
              n += 1;
              return {
                n,
                anchor: `step-${n}`,
                html: html(st.id),
                substeps: st.substeps.map(html),
                screens: st.screens.map(screen(n)),
                branches: st.branches.map((br) => ({ key: br.key, html: html(br.id), screens: br.screens.map(screen(n)) })),
                reportHref: urls.report(language, guide.slug, n),
              };
            }),
          };
        case 'checklists':
          return {
            type: b.type,
            // A block that is also the checker: on screen, its cards are a form that opens it.
            form: b.tool ? { action: urls.tool(language, b.tool), submit: t('tools.checklist.submit') } : undefined,
            items: b.items.map((item) => ({
              key: item.key,
              anchor: anchor(b.id, item.key),
              name: item.name,
              lang: guide.siteLanguage.lang,
              url: item.url,
              status: item.status,
              notice: item.status === 'current' ? '' : html(`${b.id}.${item.key}.notice`),
              date: date(item.date),
              source: source(item.source),
              checks: item.checks.map((c) => ({ key: c, html: html(`${b.id}.${item.key}.${c}`) })),
              // "All yes? You can choose it" only for an item still offered.
              conclusion: item.checks.length && item.status !== 'withdrawn' ? html(`${b.id}.conclusion`) : '',
              note: item.note ? html(`${b.id}.${item.key}.note`) : '',
            })),
          };
        case 'pairs':
          return {
            type: b.type,
            items: b.items.map((item) => ({
              key: item.key,
              value: item.value ?? '',
              term: html(`${b.id}.${item.key}.term`),
              detail: html(`${b.id}.${item.key}.detail`),
            })),
          };
        case 'decision':
          return {
            type: b.type,
            start: html(`${b.id}.start`),
            questions: b.questions.map((q) => ({ key: q.key, outcome: q.no, question: html(`${b.id}.${q.key}.question`), no: html(`${b.id}.${q.key}.no`) })),
            outcome: b.yes,
            yes: html(`${b.id}.yes`),
          };
      }
    }),
  }));
  // The fields of guide.yaml a publish may list with the facts (changedParts).
  const fields = guideFields(guide);
  const checkedSource = html('checked.source');
  const sourceHtml = guide.checkedUrl ? `<a href="${escapeHtml(guide.checkedUrl)}">${checkedSource}</a>` : checkedSource;
  return {
    slug: guide.slug,
    /** What an offline copy compares with the published guide's (offline.json). */
    revision: guideRevision(guide, language),
    title: plain('title'),
    titleHtml: html('title'),
    summaryHtml: html('summary'),
    sections,
    checkedHtml: tHtml(t, 'guide.checked', { source: sourceHtml }, { date: date(guide.checkedDate) }),
    noteHtml: guide.checkedNote ? html('checked.note') : '',
    site: { href: guide.site, text: displayUrl(guide.site) },
    /** Whether a step shows a screen picture (and so a "does your screen look like this?" form). */
    hasScreens: Object.keys(guide.screens).length > 0,
    // Past its review date: the real site may have changed since the guide was checked.
    overdueHtml: today >= guide.reviewDue ? tHtml(t, 'guide.overdue', { site: siteLink(guide.site) }, { date: date(guide.checkedDate) }) : '',
    provenance: provenanceLine(guide, language, t, urls.guide(guide.reference, guide.slug)),
    // What the last publishes changed in this language: the parts of the page, and the editor's line where it was written in it.
    history: guide.history
      .map((h) => ({ h, parts: changedParts(h) }))
      .filter(({ parts }) => parts.length > 0)
      .slice(0, 5)
      .map(({ h, parts }) => ({
        iso: h.date,
        date: date(h.date),
        parts: new Intl.ListFormat(language.lang, { type: 'conjunction' }).format(parts),
        // After a part that ends a sentence itself (a title that asks a question), no second full stop.
        lead: /[.?!؟]$/u.test(parts.at(-1) ?? '') ? ' ' : '. ',
        summary: h.summary[language.id] ?? '',
      })),
  };

  /**
   * The parts of the page a publish changed for this language: those of its texts in it, the
   * section of an item whose status changed, and the site's labels, numbers or addresses (facts).
   * The day the guide was checked and its review period are said on the page itself.
   */
  function changedParts(h: HistoryEntry): string[] {
    const parts = h.languages.includes(language.id) ? h.texts.map((id) => partName(id)) : [];
    for (const id of h.facts) {
      const field = fields.get(id);
      if (!field) parts.push(t('guide.history.facts'));
      else if (field.item) parts.push(partName(`${field.item.section}.title`));
    }
    return [...new Set(parts)];
  }

  /** The part of the page a text is in: its section's title, or the page's title and summary. */
  function partName(id: string) {
    const section = id.split('.')[0]!;
    return guide.sections.some((s) => s.id === section) && guide.texts.get(language.id)?.has(`${section}.title`)
      ? plain(`${section}.title`)
      : t('guide.history.top');
  }
}

const siteLink = (href: string) => `<a class="url" href="${escapeHtml(href)}" dir="ltr">${escapeHtml(displayUrl(href))}</a>`;

type GuidePage = ReturnType<typeof guideView>;

/**
 * The same guide in two languages, block by block and step by step: each block (and each step)
 * carries its counterpart in the other language as `other`.
 */
export function bilingualView(main: GuidePage, other: GuidePage) {
  return {
    ...main,
    otherTitleHtml: other.titleHtml,
    sections: main.sections.map((s, si) => {
      const os = other.sections[si]!;
      return {
        ...s,
        otherTitle: os.title,
        blocks: s.blocks.map((b, bi) => {
          const ob = os.blocks[bi]!;
          if (b.type === 'steps' && ob.type === 'steps') return { ...b, steps: b.steps.map((st, k) => ({ ...st, other: ob.steps[k] })) };
          // Anchors stay unique: the other language's cards get their own.
          if (ob.type === 'checklists') return { ...b, other: { ...ob, items: ob.items.map((i) => ({ ...i, anchor: `${i.anchor}-other` })) } };
          return { ...b, other: ob };
        }),
      };
    }),
  };
}

/** Every numbered step of a guide page, in order, with the title of its section. */
export function flatSteps(page: GuidePage) {
  return page.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'steps' ? b.steps.map((st) => ({ ...st, sectionTitle: s.title })) : [])));
}

/** The words a guide page puts around its content (callout labels, answers), in one language. */
export function guideLabels(t: TFunction) {
  return {
    info: t('guide.note'),
    warning: t('guide.warning'),
    sourceDate: t('guide.sourceDate'),
    source: t('guide.source'),
    status: { withdrawn: t('guide.status.withdrawn'), new: t('guide.status.new') },
    ifNo: t('guide.decision.ifNo'),
    ifYes: t('guide.decision.ifYes'),
    next: t('guide.decision.next'),
    allYes: t('guide.decision.allYes'),
    screen: t('guide.screen'),
  };
}
