import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Guide } from '../content/catalogue.js';
import { HttpError } from '../http/errors.js';
import { clientAddress, formBody, sameSite } from '../http/forms.js';
import { sendPage } from '../http/send.js';
import type { Language } from '../languages.js';
import type { Store } from '../store/db.js';
import { addReport, addScreenAnswer } from '../store/feedback.js';
import { StoreUnavailable } from '../store/guard.js';
import { sourceOf, type Throttle } from '../store/throttle.js';
import { patterns, urls } from '../urls.js';
import { REPORT_KINDS, reportForm, screensOfStep } from '../view-models/feedback.js';
import type { Deps, LocaleRoutes } from './locale.js';

export interface FeedbackDeps extends Deps {
  store: Store;
  throttle: () => Promise<Throttle>;
  /** The salt the store's copies share (answers' sources are hashed with it). */
  salt: () => Promise<string>;
  release: string;
  /** Reports, and "does your screen look like this?" answers, one address may send in a minute (counted apart). */
  perMinute: number;
  answersPerMinute: number;
  /** This site's origin: a form may only be posted from it. */
  baseOrigin: string;
}

const honeypot = z.string().max(200).optional();
const number = z
  .string()
  .regex(/^[1-9][0-9]{0,3}$/)
  .transform(Number);
/** At most 500 characters as the form's maxlength counts them (UTF-16 units: an emoji outside the BMP is two). */
const comment = z
  .string()
  .default('')
  .refine((s) => s.length <= 500);
/** The "No" answer a report follows, and its screen: sent back by the report form written after it. */
const after = {
  screen: z.string().max(100).optional(),
  answer: z
    .string()
    .regex(/^[1-9][0-9]{0,11}$/)
    .transform(Number)
    .optional(),
};
const Body = z.union([
  z.strictObject({ type: z.literal('screen'), guide: z.string(), step: number, screen: z.string(), answer: z.enum(['yes', 'no']), website: honeypot }),
  z.strictObject({ type: z.literal('report'), guide: z.string(), step: number, kind: z.enum(REPORT_KINDS), comment, website: honeypot, ...after }),
  z.strictObject({ type: z.literal('report'), tool: z.string(), kind: z.enum(REPORT_KINDS), comment, website: honeypot }),
]);

/** A guide of the reader's language, or a localized 400 (an answer the form cannot have sent). */
function guideIn(deps: Deps, slug: string, language: Language): Guide {
  const guide = deps.catalogue.get(slug);
  if (!guide || !guide.languages.includes(language)) throw new HttpError(400, 'feedback');
  return guide;
}

/**
 * Readers' answers ("does your screen look like this?") and reports, posted from the pages: no
 * cookie, no account, nothing about who sends them. Refusals are localized pages (403 from another
 * site, 413 too long, 429 too many from one address, 400 not an answer of the form, 503 the store
 * is down); a success is a 303 to a thank-you page (204 to the page's own script).
 */
export function feedbackRoutes(deps: FeedbackDeps) {
  const post = async (req: Request, res: Response, language: Language) => {
    res.set('Cache-Control', 'no-store');
    const parsed = Body.safeParse(req.body ?? {});
    if (!parsed.success) throw new HttpError(400, 'feedback');
    const body = parsed.data;
    // What the form could have sent: a guide, a step and a screen of this language, or a tool.
    let about: { guide: string; step: number } | { tool: string };
    let guide: Guide;
    if ('tool' in body) {
      const tool = deps.catalogue.tool(body.tool);
      if (!tool || !tool.guide.languages.includes(language)) throw new HttpError(400, 'feedback');
      guide = tool.guide;
      about = { tool: tool.id };
    } else {
      guide = guideIn(deps, body.guide, language);
      if (body.step > guide.stepCount) throw new HttpError(400, 'feedback');
      if (body.type === 'screen' && !screensOfStep(guide, body.step).includes(body.screen)) throw new HttpError(400, 'feedback');
      about = { guide: guide.slug, step: body.step };
    }
    const json = req.accepts(['html', 'json']) === 'json';
    const done = () => void (json ? res.status(204).end() : res.redirect(303, urls.thanks(language, about)));
    // A field no person sees: whatever filled it is not a reader. It is told nothing.
    if (body.website) return done();
    if (!(await deps.store.available())) throw new HttpError(503, 'storeDown');
    // Answers and reports are counted apart, each sized for many readers behind one address.
    const throttle = await deps.throttle();
    const address = clientAddress(req);
    if (body.type === 'screen') {
      if (!(await throttle.hit(`answers:${address}`, deps.answersPerMinute, 60_000))) throw new HttpError(429, 'tooMany');
    } else if (!(await throttle.hit(`reports:${address}`, deps.perMinute, 60_000))) {
      // A refused report is not lost: its form comes back, with what was typed and when to send it again.
      res.set('Retry-After', '60');
      const view = reportForm(deps, language, 'tool' in about ? { tool: deps.catalogue.tool(about.tool)! } : { guide, step: about.step }, {
        kind: body.kind,
        comment: body.comment,
        ...('screen' in body && body.screen && body.answer ? { after: { screen: body.screen, answer: body.answer } } : {}),
        refused: true,
      });
      return sendPage(res, deps, { template: 'pages/report.njk', language, versions: [], status: 429, title: view.title, data: { form: view } });
    }
    try {
      if (body.type === 'screen') {
        const id = await addScreenAnswer(deps.store, {
          guide: guide.slug,
          step: body.step,
          screen: body.screen,
          language: language.id,
          answer: body.answer,
          release: deps.release,
          source: sourceOf(await deps.salt(), address),
        });
        // "No": the reader is asked what differs, and shown what to do now (in place with the page's script).
        if (body.answer === 'no') {
          const next = urls.report(language, guide.slug, body.step, { screen: body.screen, answer: id });
          return void (json ? res.status(200).json({ next }) : res.redirect(303, next));
        }
      } else {
        const where = 'tool' in body ? { step: null, tool: body.tool } : { step: body.step, tool: null };
        const follows = 'answer' in body ? (body.answer ?? null) : null;
        await addReport(deps.store, {
          guide: guide.slug,
          ...where,
          language: language.id,
          kind: body.kind,
          comment: body.comment,
          release: deps.release,
          answer: follows,
        });
      }
    } catch (error) {
      // A store that fails is logged where it fails (guard.ts); a wrong query is a bug, not a "try later".
      if (error instanceof StoreUnavailable) throw new HttpError(503, 'storeDown');
      throw error;
    }
    done();
  };

  return (routes: LocaleRoutes) => {
    routes.post(patterns.feedback, [sameSite(deps.baseOrigin), formBody], post);

    routes.get(patterns.report, (req, res, language) => {
      const guide = deps.catalogue.get(String(req.params.slug));
      if (!guide) throw new HttpError(404, 'guide');
      if (!guide.languages.includes(language)) throw new HttpError(404, 'guideLanguage');
      const query = z.strictObject({ step: number, ...after }).safeParse(req.query);
      if (!query.success || query.data.step > guide.stepCount) throw new HttpError(404, 'step');
      const { step, screen, answer } = query.data;
      // After a "No" to one of the step's screens: that screen, and the answer the report follows.
      if ((screen === undefined) !== (answer === undefined) || (screen && !screensOfStep(guide, step).includes(screen))) throw new HttpError(404, 'step');
      const view = reportForm(deps, language, { guide, step }, screen && answer ? { after: { screen, answer }, kind: 'screen-different' } : {});
      sendPage(res, deps, { template: 'pages/report.njk', language, versions: view.versions, title: view.title, data: { form: view } });
    });

    routes.get(patterns.toolReport, (req, res, language) => {
      const tool = deps.catalogue.tool(String(req.params.tool));
      if (!tool) throw new HttpError(404, 'tool');
      if (!tool.guide.languages.includes(language)) throw new HttpError(404, 'toolLanguage');
      if (Object.keys(req.query).length) throw new HttpError(400, 'request');
      const view = reportForm(deps, language, { tool });
      sendPage(res, deps, { template: 'pages/report.njk', language, versions: view.versions, title: view.title, data: { form: view } });
    });

    routes.get(patterns.thanks, (req, res, language) => {
      const query = z.union([z.strictObject({ guide: z.string(), step: number }), z.strictObject({ tool: z.string() })]).safeParse(req.query);
      if (!query.success) throw new HttpError(400, 'request');
      const t = deps.i18n.t(language.id);
      const q = query.data;
      let back: string;
      if ('tool' in q) {
        const tool = deps.catalogue.tool(q.tool);
        if (!tool || !tool.guide.languages.includes(language)) throw new HttpError(400, 'request');
        back = urls.tool(language, tool.id);
      } else {
        const guide = guideIn(deps, q.guide, language);
        if (q.step > guide.stepCount) throw new HttpError(400, 'request');
        back = urls.guide(language, guide.slug) + urls.step(q.step);
      }
      sendPage(res, deps, {
        template: 'pages/thanks.njk',
        language,
        versions: [],
        title: t('feedback.thanks.title'),
        data: { back, backLabel: t('tool' in q ? 'feedback.thanks.backTool' : 'feedback.thanks.backStep') },
      });
    });
  };
}
