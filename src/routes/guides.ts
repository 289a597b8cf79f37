import { type Request, Router } from 'express';
import type { Catalogue, Guide } from '../content/load.js';
import { bilingualView, flatSteps, guideLabels, guideView } from '../content/view.js';
import { HttpError, quote } from '../http/errors.js';
import type { Language } from '../locales.js';
import { displayUrl } from '../render/inline.js';
import { type PageDeps, sendPage } from '../render/page.js';
import { qrSvg } from '../render/qr.js';
import { localeParam, versionsIn } from './locale.js';

type Deps = PageDeps & { catalogue: Catalogue };

/**
 * The guide, the handout and the presentation share one shape: a guide in the reader's language,
 * optionally beside another of its languages (?with=fr), at a path that exists in each language.
 */
function guidePage(deps: Deps, req: Request, language: Language, suffix: string) {
  const guide = deps.catalogue.get(String(req.params.slug));
  if (!guide) throw new HttpError(404, 'guide');
  const path = (l: Language) => `/${l.id}/guides/${guide.slug}${suffix}`;
  versionsIn(language, guide.languages, path, 'guideLanguage');
  const other = withLanguage(deps, req, guide, language, path(language));
  // The language switcher keeps the second language, unless it becomes the page's own.
  const versions = guide.languages.map((l) => ({ language: l, path: path(l) + (other && other !== l ? `?with=${other.id}` : '') }));
  const t = deps.i18n.t(language.id);
  const main = guideView(guide, language, deps.registry, t);
  const view = other ? bilingualView(main, guideView(guide, other, deps.registry, deps.i18n.t(other.id))) : main;
  return { guide, other, versions, main, view, t };
}

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
const labelsFor = (deps: Deps, l: Language | undefined) => (l ? { id: l.id, lang: l.lang, dir: l.dir, name: l.name, labels: guideLabels(deps.i18n.t(l.id)) } : undefined);

/** The guide page's ways out: the handout, the help-desk mode, and the guide beside each of its other languages. */
function pageLinks(guide: Guide, language: Language, other: Language | undefined) {
  const base = `/${language.id}/guides/${guide.slug}`;
  const query = other ? `?with=${other.id}` : '';
  return {
    self: base,
    print: `${base}/print${query}`,
    present: guide.stepCount ? `${base}/present/1${query}` : '',
    beside: guide.languages
      .filter((l) => l !== language)
      .map((l) => ({ href: l === other ? base : `${base}?with=${l.id}`, lang: l.lang, dir: l.dir, name: l.name, current: l === other })),
  };
}

export function guideRoutes(deps: Deps): Router {
  const router = Router();
  router.param('locale', localeParam(deps.registry));

  router.get('/:locale/guides/:slug', (req, res) => {
    const language = res.locals.language as Language;
    const { guide, other, versions, view } = guidePage(deps, req, language, '');
    sendPage(res, deps, { template: 'pages/guide.njk', language, versions, title: view.title, data: { guide: view, labels: guideLabels(deps.i18n.t(language.id)), other: labelsFor(deps, other), mode: 'page', links: pageLinks(guide, language, other) } });
  });

  // The handout: made for A4 paper, with a QR code that opens the online page in the same language.
  router.get('/:locale/guides/:slug/print', async (req, res) => {
    const language = res.locals.language as Language;
    const { guide, other, versions, view, t } = guidePage(deps, req, language, '/print');
    const online = `${deps.config.baseUrl}/${language.id}/guides/${guide.slug}`;
    const qr = { svg: await qrSvg(online, t('print.qrLabel', { url: displayUrl(online) })), text: displayUrl(online) };
    sendPage(res, deps, { template: 'pages/guide.njk', language, versions, title: view.title, data: { guide: view, labels: guideLabels(t), other: labelsFor(deps, other), mode: 'print', qr } });
  });

  // Help-desk mode: one step per screen, in large type.
  router.get('/:locale/guides/:slug/present/:n', async (req, res) => {
    const language = res.locals.language as Language;
    const n = /^[1-9][0-9]{0,3}$/.test(req.params.n) ? Number(req.params.n) : 0;
    const guide = deps.catalogue.get(req.params.slug);
    if (guide && (n < 1 || n > guide.stepCount)) throw new HttpError(404, 'step');
    const { other, versions, view, t } = guidePage(deps, req, language, `/present/${n}`);
    const steps = flatSteps(view);
    const step = steps[n - 1]!;
    const query = other ? `?with=${other.id}` : '';
    const base = `/${language.id}/guides/${guide!.slug}`;
    const phone = `${deps.config.baseUrl}${base}#step-${n}`;
    sendPage(res, deps, {
      template: 'pages/present.njk',
      language,
      versions,
      title: `${view.title} · ${t('present.count', { n, of: steps.length })}`,
      data: {
        guide: view,
        labels: guideLabels(t),
        other: labelsFor(deps, other),
        step,
        n,
        of: steps.length,
        prev: n > 1 ? `${base}/present/${n - 1}${query}` : '',
        next: n < steps.length ? `${base}/present/${n + 1}${query}` : '',
        exit: `${base}${query}#step-${n}`,
        qr: { svg: await qrSvg(phone, t('present.qrLabel', { url: displayUrl(phone) })), text: displayUrl(phone) },
      },
    });
  });
  return router;
}
