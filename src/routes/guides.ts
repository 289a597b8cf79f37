import type { Request } from 'express';
import type { TFunction } from 'i18next';
import { toolPages } from '../cache/known.js';
import type { Guide } from '../content/catalogue.js';
import { HttpError, quote } from '../http/errors.js';
import { sendPage } from '../http/send.js';
import type { Language } from '../languages.js';
import { displayUrl, escapeHtml } from '../render/html.js';
import { qrSvg } from '../render/qr.js';
import { patterns, urls } from '../urls.js';
import { feedbackLabels } from '../view-models/feedback.js';
import { bilingualView, guideLabels, guideView } from '../view-models/guide.js';
import { presentScreen } from '../view-models/present.js';
import { listenLabels, shareView } from '../view-models/reach.js';
import { type Deps, type LocaleRoutes, versionsIn } from './locale.js';

/**
 * The guide, the handout and the presentation share one shape: a guide in the reader's language,
 * optionally beside another of its languages (?with=fr), at a path that exists in each language.
 */
function guidePage(deps: Deps, req: Request, guide: Guide, language: Language, path: (l: Language, other?: Language) => string) {
  versionsIn(language, guide.languages, path, 'guideLanguage');
  const other = withLanguage(deps, req, guide, language, path(language));
  // The language switcher keeps the second language, unless it becomes the page's own.
  const versions = guide.languages.map((l) => ({ language: l, path: path(l, other && other !== l ? other : undefined) }));
  const t = deps.i18n.t(language.id);
  const main = guideView(guide, language, deps.registry, t, deps.today());
  const view = other ? bilingualView(main, guideView(guide, other, deps.registry, deps.i18n.t(other.id), deps.today())) : main;
  return { other, versions, view, t, labels: guideLabels(t), otherLabels: labelsFor(deps, other) };
}

/** The words around a guide on screen, with the readers' forms when feedback is on (never on paper, never in the other column). */
function screenLabels(deps: Deps, guide: Guide, language: Language, labels: ReturnType<typeof guideLabels>) {
  if (!deps.feedback) return labels;
  return { ...labels, feedback: { action: urls.feedback(language), guide: guide.slug, ...feedbackLabels(deps.i18n, language) } };
}

const findGuide = (deps: Deps, slug: unknown) => {
  const guide = deps.catalogue.get(String(slug));
  if (!guide) throw new HttpError(404, 'guide');
  return guide;
};

/** ?with=<id>: another declared language of the guide, never the page's own; anything else is a localized 400. */
function withLanguage(deps: Deps, req: Request, guide: Guide, language: Language, back: string): Language | undefined {
  const value = req.query.with;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new HttpError(400, 'toolRepeated', [], { name: 'with' }, back);
  const other = deps.registry.get(value);
  if (!other || !guide.languages.includes(other) || other === language) {
    throw new HttpError(400, 'withLanguage', [], { value: quote(value) }, back);
  }
  return other;
}

/** The second language of a bilingual page: its tags, and the words around its blocks. */
const labelsFor = (deps: Deps, l: Language | undefined) =>
  l ? { id: l.id, lang: l.lang, dir: l.dir, name: l.name, labels: guideLabels(deps.i18n.t(l.id)) } : undefined;

/** The guide page's way in (its first step, else its first section), and its ways out: the handout, the help-desk mode, and the guide beside each of its other languages. */
function pageLinks(
  deps: Deps,
  guide: Guide,
  language: Language,
  other: Language | undefined,
  t: TFunction,
  view: { sections: Array<{ id: string; title: string }> },
) {
  const first = view.sections[0]!;
  return {
    // What "Save for offline" keeps: the page, its handout, and its tools (the checker answers on its own page).
    offline: [
      urls.guide(language, guide.slug),
      urls.print(language, guide.slug),
      ...deps.catalogue.tools.filter((tool) => tool.guide === guide).flatMap((tool) => toolPages(tool, language)),
    ],
    start: guide.stepCount ? { href: urls.step(1), html: escapeHtml(t('guide.start', { n: 1 })) } : { href: urls.section(first.id), html: first.title },
    self: urls.guide(language, guide.slug),
    print: urls.print(language, guide.slug, other),
    present: guide.parts.length ? urls.present(language, guide.slug, 1, other) : '',
    beside: guide.languages
      .filter((l) => l !== language)
      .map((l) => ({ href: urls.guide(language, guide.slug, l === other ? undefined : l), lang: l.lang, dir: l.dir, name: l.name, current: l === other })),
  };
}

export function guideRoutes(deps: Deps) {
  return (routes: LocaleRoutes) => {
    routes.get(patterns.guide, (req, res, language) => {
      const guide = findGuide(deps, req.params.slug);
      const page = guidePage(deps, req, guide, language, (l, o) => urls.guide(l, guide.slug, o));
      const { other, versions, view, otherLabels, t } = page;
      const labels = screenLabels(deps, guide, language, page.labels);
      sendPage(res, deps, {
        template: 'pages/guide.njk',
        language,
        versions,
        title: view.title,
        data: {
          guide: view,
          labels,
          other: otherLabels,
          mode: 'page',
          links: pageLinks(deps, guide, language, other, t, view),
          share: shareView(deps.baseUrl, urls.guide(language, guide.slug, other), view.title, t),
          listenLabels: listenLabels(t),
        },
      });
    });

    // The handout: made for A4 paper, with a QR code that opens the online page in the same language.
    routes.get(patterns.print, async (req, res, language) => {
      const guide = findGuide(deps, req.params.slug);
      const { other, versions, view, t, labels, otherLabels } = guidePage(deps, req, guide, language, (l, o) => urls.print(l, guide.slug, o));
      // The code opens the page the handout was printed from: bilingual if it is.
      const online = deps.baseUrl + urls.guide(language, guide.slug, other);
      const qr = { svg: await qrSvg(online, t('print.qrLabel', { url: displayUrl(online) })), text: displayUrl(online) };
      sendPage(res, deps, {
        template: 'pages/guide.njk',
        language,
        versions,
        title: view.title,
        data: { guide: view, labels, other: otherLabels, mode: 'print', qr },
      });
    });

    // Help-desk mode: every part of the guide in reading order, one screen each, in large type.
    routes.get(patterns.present, async (req, res, language) => {
      const guide = findGuide(deps, req.params.slug);
      const n = /^[1-9][0-9]{0,3}$/.test(String(req.params.n)) ? Number(req.params.n) : 0;
      const of = guide.parts.length;
      if (n < 1 || n > of) throw new HttpError(404, 'step');
      const page = guidePage(deps, req, guide, language, (l, o) => urls.present(l, guide.slug, n, o));
      const { other, versions, view, t, otherLabels } = page;
      const labels = screenLabels(deps, guide, language, page.labels);
      const screen = presentScreen(view, guide.parts, n);
      // The QR and the links to send open this part (this step, this section) on the person's phone, in their language.
      const herePath = urls.guide(language, guide.slug) + screen.hash;
      const phone = deps.baseUrl + herePath;
      const count = t('present.count', { n, of });
      const title = `${view.title} · ${count}`;
      sendPage(res, deps, {
        template: 'pages/present.njk',
        language,
        versions,
        title,
        data: {
          guide: view,
          labels,
          other: otherLabels,
          screen,
          count,
          prev: n > 1 ? urls.present(language, guide.slug, n - 1, other) : '',
          next: n < of ? urls.present(language, guide.slug, n + 1, other) : '',
          first: urls.present(language, guide.slug, 1, other),
          last: urls.present(language, guide.slug, of, other),
          exit: urls.guide(language, guide.slug, other) + screen.hash,
          qr: { svg: await qrSvg(phone, t('present.qrLabel', { url: displayUrl(phone) })), text: displayUrl(phone) },
          share: shareView(deps.baseUrl, herePath, title, t, screen.step ? 'step' : 'page'),
          listenLabels: listenLabels(t),
        },
      });
    });
  };
}
