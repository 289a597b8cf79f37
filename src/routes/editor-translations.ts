import { type Request, type Response, Router } from 'express';
import type { TFunction } from 'i18next';
import type { Catalogue, Guide } from '../content/catalogue.js';
import type { ContentIssue } from '../content/read.js';
import { recordHash, textHash } from '../content/translations.js';
import { exportXliff, importXliff } from '../editing/exchange.js';
import { FACTS, fileTexts, languageTexts, translates } from '../editing/files.js';
import { XliffError } from '../editing/xliff.js';
import { HttpError } from '../http/errors.js';
import type { I18n } from '../i18n.js';
import type { Language, Registry } from '../languages.js';
import { audit } from '../store/audit.js';
import { type Change, changeSet, currentDraft, publishedBases, submitSet } from '../store/changes.js';
import type { Store } from '../store/db.js';
import { stepReports, stepScreens } from '../store/feedback.js';
import { urls } from '../urls.js';
import { editTextsView } from '../view-models/editing.js';
import type { Helpers } from './editor-admin.js';

type TextsOf = ReturnType<typeof textsViewer>;
/** What the texts' pages use (editor-edit.ts's EditingDeps adds the publish's). */
export interface TranslationDeps {
  store: Store;
  registry: Registry;
  i18n: I18n;
  catalogue: Catalogue;
  root: string;
  contentDir: string;
  reviewsRequired: number;
}

/**
 * A guide's texts in a language as the edit page and the queue show them (`only`: these texts),
 * with the draft's changes, the problems the content check finds in them, each step's open
 * reports and, for a translation older than its reference text, the difference in the reference.
 */
export function textsViewer(deps: TranslationDeps, check: (changes: readonly Change[]) => Promise<ContentIssue[]>) {
  return async function textsOf(e: TFunction, guide: Guide, language: Language, changes: readonly Change[], only?: ReadonlySet<string>) {
    const all = languageTexts(deps.contentDir, guide, language.id);
    const translation = guide.reference !== language;
    const reference = translation ? fileTexts(deps.contentDir, guide.slug, guide.reference.id) : undefined;
    const provenance = translation ? guide.provenance.get(language.id) : undefined;
    const changed = provenance?.changed ?? [];
    // The reference text each outdated translation was written against, where a publish recorded it.
    const earlier = changed.length ? await publishedBases(deps.store, guide.slug, guide.reference.id, changed) : new Map<string, string[]>();
    const outdated = new Map(
      changed.map((id) => {
        const recorded = recordHash(provenance!.texts[id]);
        return [
          id,
          { since: provenance!.since.get(id) ?? '', old: earlier.get(id)?.find((text) => textHash(text) === recorded), now: reference?.get(id) ?? '' },
        ];
      }),
    );
    return editTextsView(deps, e, guide, language, {
      published: only ? new Map([...all].filter(([id]) => only.has(id))) : all,
      reference,
      // A guide's facts are written on its reference language's page.
      facts: !only && !translation ? fileTexts(deps.contentDir, guide.slug, FACTS) : undefined,
      drafts: changes.filter((c) => c.guide === guide.slug && (c.language === language.id || (c.language === FACTS && !translation))),
      issues: await check(changes),
      reports: await stepReports(deps.store, guide.slug, language.id),
      screens: await stepScreens(deps.store, guide.slug, language.id),
      outdated,
      action: urls.editor.edit(guide.slug, language.id),
      anchors: only ? guide.slug : undefined,
    });
  };
}

/**
 * Translations kept true: a language's queue of texts older than their reference text, and XLIFF
 * 2.0 for professional translators (a guide's texts out, a translated file back as a change set).
 */
export function translationRoutes(
  deps: TranslationDeps,
  { page, allow, languageOf }: Helpers,
  {
    writesIn,
    abilities,
    refuse,
    textsOf,
  }: {
    writesIn: (languages: string, language: string) => boolean;
    abilities: (me: { role: string; languages: string }, language: string) => { canSave: boolean; canReview: boolean };
    refuse: (req: Request, res: Response, key: string) => void;
    textsOf: TextsOf;
  },
): Router {
  const router = Router();

  // A language's texts older than their reference text, in every guide, oldest change first: each
  // with the reference's difference, the translation, and its edit box (drafts, as on a guide's page).
  router.get('/translations/:language', allow('read'), async (req, res) => {
    const language = deps.registry.get(String(req.params.language));
    if (!language) throw new HttpError(404, 'page');
    const e = deps.i18n.editor(languageOf(req));
    const me = res.locals.editor!;
    const draft = await currentDraft(deps.store, me.name);
    const changes = draft ? (await changeSet(deps.store, draft.id))!.changes : [];
    const texts: Array<Awaited<ReturnType<TextsOf>>['groups'][number]['texts'][number] & { guide: string }> = [];
    for (const guide of deps.catalogue.guides) {
      if (!translates(guide, language)) continue;
      // A published language's texts older than their reference text; a draft language's texts not written yet.
      const due = guide.languages.includes(language)
        ? new Set(guide.provenance.get(language.id)?.changed ?? [])
        : new Set([...languageTexts(deps.contentDir, guide, language.id)].filter(([, text]) => text === '').map(([id]) => id));
      if (!due.size) continue;
      const view = await textsOf(e, guide, language, changes, due);
      texts.push(...view.groups.flatMap((g) => g.texts.map((t) => ({ ...t, guide: view.title }))));
    }
    // Oldest change first, a change of unknown day (made outside the editors' area) before all; texts not written yet last.
    const order = (t: (typeof texts)[number]) => (t.outdated ? t.outdated.since : '\uffff');
    texts.sort((a, b) => order(a).localeCompare(order(b)));
    const missing = texts.filter((t) => t.missing).length;
    const reference = deps.registry.all[0]!;
    page(req, res, 'editor/translations.njk', e('translations.title', { language: language.name }), {
      texts,
      outdated: texts.length - missing,
      missing,
      language: { id: language.id, name: language.name, lang: language.lang, dir: language.dir },
      view: {
        language: { id: language.id, name: language.name, lang: language.lang, dir: language.dir },
        reference: { name: reference.name, lang: reference.lang, dir: reference.dir },
      },
      csrf: me.csrf,
      from: 'translations',
      ...abilities(me, language.id),
      saved: typeof req.query.saved === 'string' ? req.query.saved : '',
      draft: draft && { href: urls.editor.change(draft.id), count: changes.length, comment: draft.comment },
    });
  });

  // A guide's texts in a language for translators (XLIFF 2.0; ?outdated=1: only the outdated ones).
  router.get('/xliff/:slug/:file', allow('read'), async (req, res) => {
    const [, id] = /^([a-z]{2,3})\.xlf$/.exec(String(req.params.file)) ?? [];
    const guide = deps.catalogue.get(String(req.params.slug));
    const language = deps.registry.get(id ?? '');
    if (!guide || !language || !translates(guide, language)) throw new HttpError(404, 'page');
    const xml = await exportXliff(deps.contentDir, guide, language, { outdated: req.query.outdated === '1' });
    res.type('application/xliff+xml').attachment(`${guide.slug}-${language.id}.xlf`).send(xml);
  });

  // A translated file back: its changed texts, checked, become one change set sent for review.
  router.post('/xliff', allow('submit'), async (req, res) => {
    const e = deps.i18n.editor(languageOf(req));
    const me = res.locals.editor!;
    const xml = (req.body as Record<string, unknown>).xliff;
    if (typeof xml !== 'string' || !xml) throw new HttpError(400, 'request');
    const say = (message: string, problems: string[], status: number) =>
      page(req, res, 'editor/message.njk', e('translations.upload'), { message, problems }, status);
    let imported;
    try {
      imported = await importXliff(deps, xml);
    } catch (error) {
      if (error instanceof XliffError) return say(e('translations.refused'), error.problems, 400);
      throw error;
    }
    const { guide, language, changes } = imported;
    if (!writesIn(me.languages, language.id)) return refuse(req, res, 'errors.language');
    if (!changes.length) return say(e('translations.unchanged'), [], 200);
    // A line for editors, in no reader's language: readers' "What changed" names the parts, not this line.
    const summary = `XLIFF: ${guide.slug} ${language.id}, ${changes.length} text(s)`;
    const id = await submitSet(deps.store, me.name, changes, { text: summary, language: '' }, deps.reviewsRequired > 0);
    await audit(deps.store, me.name, 'submit', `#${id} ${summary}`);
    res.redirect(303, urls.editor.change(id));
  });
  return router;
}
