import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Guide } from '../content/catalogue.js';
import type { ContentIssue } from '../content/read.js';
import type { Checked } from '../content/snapshot.js';
import { personNameProblem } from '../content/translations.js';
import { draftChecker, FACTS, fileTexts, languageTexts, type PublishMeta, publishedNow } from '../editing/files.js';
import { conflicts, type Outcome, publish } from '../editing/publish.js';
import { HttpError } from '../http/errors.js';
import type { Language } from '../languages.js';
import { audit } from '../store/audit.js';
import { approve, type Change, changeSet, changeSets, currentDraft, moveSet, saveDrafts, sendBack } from '../store/changes.js';
import { may } from '../store/editors.js';
import { markHandled, openOnSteps } from '../store/feedback.js';
import { urls } from '../urls.js';
import { changedSteps, changeSetView, changeSetsView } from '../view-models/change-sets.js';
import { textAnchor } from '../view-models/editing.js';
import type { Helpers } from './editor-admin.js';
import { textsViewer, type TranslationDeps, translationRoutes } from './editor-translations.js';

export type PreviewResult = { status: number; html: string } | { issues: ContentIssue[] } | { busy: true };
/** A readers' page (by its path) as it will be once these changes are published (src/preview.ts). */
export type Preview = (changes: readonly Change[], path: string, meta: PublishMeta) => Promise<PreviewResult>;

export interface EditingDeps extends TranslationDeps {
  gitRemote: string | undefined;
  /** After a publish: the server's live state made again from the content files. */
  reload?: (changed?: readonly string[], checked?: Checked) => Promise<void>;
  preview?: Preview;
}

/** A form's field of guide.yaml: a fact (`fact.<id>`) or another field editors change (`field.<id>`). */
const GUIDE_FIELD = /^(fact|field)\./;

/** A text as an editor may type it: at most 4,000 characters, line ends as a browser sends them. */
const TEXT = z.string().max(4000);

/**
 * Editors fix guides: a guide's texts in one language with the draft as typed (saved one text at
 * a time, kept whatever the content check says of it), change sets submitted with a summary,
 * approved by other accounts (REVIEWS_REQUIRED) or sent back with a comment, and published by a
 * reviewer (editing/publish.ts), after which the server serves the new content.
 */
export function editingRoutes(deps: EditingDeps, { page, allow, languageOf }: Helpers): Router {
  const router = Router();

  const target = (req: Request) => {
    const guide = deps.catalogue.get(String(req.params.slug));
    const language = deps.registry.get(String(req.params.language));
    // A language the guide declares, or a draft one (its file, not yet in `languages`).
    if (!guide || !language || !guide.texts.has(language.id)) throw new HttpError(404, 'page');
    return { guide, language };
  };
  /** An account with languages writes only in them; one without writes in every language. */
  const writesIn = (languages: string, language: string) => languages === '' || languages.split(',').includes(language);
  /** Only an account that lists a language (not one that writes in all) says one of its texts was checked against the reference. */
  const reads = (languages: string, language: string) => languages.split(',').includes(language);
  /** What the signed-in account may do on a page of a language's texts. */
  const abilities = (me: { role: string; languages: string }, language: string) => ({
    canSave: may(me.role, 'save') && writesIn(me.languages, language),
    canReview: may(me.role, 'save') && reads(me.languages, language),
  });
  const check = draftChecker(deps);
  const refuse = (req: Request, res: Response, key: string, status = 403) => {
    const e = deps.i18n.editor(languageOf(req));
    page(req, res, 'editor/message.njk', e('errors.forbiddenTitle'), { message: e(key) }, status);
  };
  const textsOf = textsViewer(deps, check);
  router.use(translationRoutes(deps, { page, allow, languageOf }, { writesIn, abilities, refuse, textsOf }));

  router.get('/guides/:slug/:language', allow('read'), async (req, res) => {
    const { guide, language } = target(req);
    const e = deps.i18n.editor(languageOf(req));
    const me = res.locals.editor!;
    const draft = await currentDraft(deps.store, me.name);
    const changes = draft ? (await changeSet(deps.store, draft.id))!.changes : [];
    const view = await textsOf(e, guide, language, changes);
    page(req, res, 'editor/edit.njk', `${view.title} · ${language.name}`, {
      view,
      csrf: me.csrf,
      ...abilities(me, language.id),
      draft: draft && { href: urls.editor.change(draft.id), count: changes.length, comment: draft.comment },
      saved: typeof req.query.saved === 'string' ? req.query.saved : '',
    });
  });

  router.post('/guides/:slug/:language', allow('save'), async (req, res) => {
    const { guide, language } = target(req);
    const me = res.locals.editor!;
    if (!writesIn(me.languages, language.id)) return refuse(req, res, 'errors.language');
    const body = req.body as Record<string, unknown>;
    if (Object.keys(body).some((k) => GUIDE_FIELD.test(k))) return saveFact(req, res, guide, language, body);
    const fields = Object.entries(body).filter(([k]) => k.startsWith('text.'));
    const published = languageTexts(deps.contentDir, guide, language.id);
    const [field, typed] = fields.length === 1 ? fields[0]! : [];
    // "Still correct": the published text kept as it is, recorded against the reference text of today.
    const confirm = typeof body.confirm === 'string' ? body.confirm : undefined;
    const id = confirm ?? field?.slice('text.'.length) ?? '';
    const value = TEXT.safeParse(confirm === undefined ? typed : published.get(id));
    // The published text the form showed: the draft's base (the text of today if the form did not say).
    const base = TEXT.optional().safeParse(body.base);
    if (!published.has(id) || !value.success || !base.success) throw new HttpError(400, 'request');
    const translation = guide.reference !== language;
    // Only an account that lists the language says a translation was checked against the reference, under its own name.
    const reviewed = body.reviewed === '1';
    // A draft language has no record of where its texts came from yet: nothing to check a text into.
    if ((reviewed || confirm !== undefined) && (!translation || !guide.languages.includes(language))) throw new HttpError(400, 'request');
    if (reviewed && !reads(me.languages, language.id)) return refuse(req, res, 'errors.reviewLanguage');
    const unnamed = reviewed ? personNameProblem(me.name) : undefined;
    if (unnamed) return refuse(req, res, 'errors.reviewName');
    const text = value.data.replace(/\r\n?/g, '\n').trim();
    const mark = reviewed ? 'reviewed' : confirm !== undefined ? 'confirmed' : null;
    await saveDrafts(deps.store, me.name, [
      { guide: guide.slug, language: language.id, text_id: id, base: base.data ?? published.get(id)!, value: text, mark },
    ]);
    await audit(deps.store, me.name, 'save', `${guide.slug} ${language.id} ${id}${mark ? ` (${mark})` : ''}`);
    const back = body.from === 'translations' ? urls.editor.translations(language.id) : urls.editor.edit(guide.slug, language.id);
    res.redirect(303, `${back}?saved=${encodeURIComponent(id)}#${textAnchor(id, body.from === 'translations' ? guide.slug : undefined)}`);
  });

  // A readers' page with the signed-in editor's draft applied, or a change set's (?set=ID): made as
  // readers will get it, with a banner; never cached (the area's answers are no-store).
  router.get('/preview/{*path}', allow('read'), async (req, res) => {
    const e = deps.i18n.editor(languageOf(req));
    const path = `/${(req.params.path as unknown as string[]).join('/')}`;
    if (!deps.preview || !/^\/[a-z]{2,3}(\/[\w.-]+)*$/.test(path)) throw new HttpError(404, 'page');
    const asked = z.coerce.number().int().min(1).safeParse(req.query.set);
    const set = asked.success
      ? await changeSet(deps.store, asked.data)
      : await currentDraft(deps.store, res.locals.editor!.name).then((d) => d && changeSet(deps.store, d.id));
    if (asked.success && !set) throw new HttpError(404, 'page');
    const me = res.locals.editor!.name;
    const result = await deps.preview(set?.changes ?? [], path, {
      date: new Date().toISOString().slice(0, 10),
      summary: set?.status === 'draft' ? '' : (set?.summary ?? ''),
      language: set?.summary_language ?? '',
      author: set?.author ?? me,
    });
    if ('busy' in result) {
      res.set('Retry-After', '5');
      return page(req, res, 'editor/message.njk', e('preview.title'), { message: e('preview.busy') }, 503);
    }
    if ('issues' in result) {
      const problems = result.issues.map((i) => `${i.file}: ${i.path || '(whole file)'}: ${i.message}`).join(' · ');
      return page(req, res, 'editor/message.njk', e('preview.title'), { message: `${e('changes.problems')} ${problems}` }, 409);
    }
    const banner = `<aside class="preview-banner" aria-label="${e('preview.title')}" lang="${languageOf(req)}" dir="ltr" data-preview="${set ? set.id : ''}"><p>${e(set ? 'preview.of' : 'preview.published', { id: set?.id ?? '' })}</p></aside>`;
    res
      .status(result.status)
      .type('html')
      .send(result.html.replace(/<body([^>]*)>/, (body) => `${body}${banner}`));
  });

  /** A fact or field of guide.yaml, saved from its reference language's page with where and when it was checked. */
  async function saveFact(req: Request, res: Response, guide: Guide, language: Language, body: Record<string, unknown>) {
    const me = res.locals.editor!;
    if (guide.reference !== language) throw new HttpError(400, 'request');
    const published = fileTexts(deps.contentDir, guide.slug, FACTS);
    const fields = Object.entries(body).filter(([k]) => GUIDE_FIELD.test(k));
    const [field = '', typed] = fields.length === 1 ? fields[0]! : [];
    const id = field.startsWith('fact.') ? `facts.${field.slice('fact.'.length)}` : field.slice('field.'.length);
    const form = z
      .object({ value: z.string().max(500), base: z.string().max(500).optional(), source: z.string().max(300).optional(), date: z.string().max(10).optional() })
      .safeParse({ value: typed, base: body.base, source: body.source, date: body.date });
    if (!published.has(id) || !form.success) throw new HttpError(400, 'request');
    const { value, base, source, date } = form.data;
    const checked = /^\d{4}-\d\d-\d\d$/.test(date ?? '') ? date! : null;
    await saveDrafts(deps.store, me.name, [
      { guide: guide.slug, language: FACTS, text_id: id, base: base ?? published.get(id)!, value: value.trim(), source: source?.trim() || null, checked },
    ]);
    await audit(deps.store, me.name, 'save', `${guide.slug} ${id}`);
    res.redirect(303, `${urls.editor.edit(guide.slug, language.id)}?saved=${encodeURIComponent(id)}#${textAnchor(id)}`);
  }

  router.get('/changes', allow('read'), async (req, res) => {
    const e = deps.i18n.editor(languageOf(req));
    const me = res.locals.editor!.name;
    const [drafts, waiting, published] = await Promise.all([
      changeSets(deps.store, ['draft']).then((sets) => sets.filter((s) => s.author === me)),
      changeSets(deps.store, ['submitted', 'approved']),
      changeSets(deps.store, ['published'], 20),
    ]);
    page(req, res, 'editor/changes.njk', e('changes.title'), changeSetsView(e, { drafts, waiting, published }));
  });

  const showSet = async (req: Request, res: Response, message = '', status = 200) => {
    const e = deps.i18n.editor(languageOf(req));
    const me = res.locals.editor!;
    const set = await changeSet(deps.store, Number(req.params.id));
    if (!set) throw new HttpError(404, 'page');
    const current = publishedNow(deps.contentDir, set.changes);
    const view = changeSetView(deps, e, set, {
      me: me.name,
      current,
      issues: set.status === 'published' ? [] : await check(set.changes),
      required: deps.reviewsRequired,
      open: set.status === 'approved' ? await openOnSteps(deps.store, changedSteps(deps.catalogue, set.changes)) : 0,
      may: {
        handle: may(me.role, 'handle'),
        submit: may(me.role, 'submit'),
        approve: may(me.role, 'approve'),
        reject: may(me.role, 'reject'),
        publish: may(me.role, 'publish'),
        revert: may(me.role, 'revert'),
      },
    });
    const languages = deps.registry.all.map((l) => ({ id: l.id, name: l.name, lang: l.lang, selected: l.id === languageOf(req) }));
    page(req, res, 'editor/change.njk', view.title, { view, csrf: me.csrf, action: urls.editor.change(set.id), message, languages }, status);
  };
  router.get('/changes/:id', allow('read'), (req, res) => showSet(req, res));

  router.post('/changes/:id', (req, res, next) => {
    const body = z
      .object({
        do: z.enum(['submit', 'approve', 'reject', 'publish', 'revert']),
        summary: z.string().max(200).optional(),
        summary_language: z.string().max(10).optional(),
        comment: z.string().max(1000).optional(),
        // With a publish: mark the open reports of the steps it changes handled.
        handled: z.literal('1').optional(),
      })
      .safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'request');
    allow(body.data.do)(req, res, () => void act(req, res, body.data).catch(next));
  });

  async function act(
    req: Request,
    res: Response,
    body: { do: 'submit' | 'approve' | 'reject' | 'publish' | 'revert'; summary?: string; summary_language?: string; comment?: string; handled?: '1' },
  ) {
    const e = deps.i18n.editor(languageOf(req));
    const me = res.locals.editor!.name;
    const set = await changeSet(deps.store, Number(req.params.id));
    if (!set) throw new HttpError(404, 'page');
    const back = () => res.redirect(303, urls.editor.change(set.id));
    if (body.do === 'submit') {
      if (set.author !== me) return refuse(req, res, 'errors.notAuthor');
      const summary = (body.summary ?? '').replace(/\s+/g, ' ').trim();
      if (set.status !== 'draft' || !set.changes.length) return showSet(req, res, e('changes.nothing'), 409);
      if (!summary) return showSet(req, res, e('changes.needSummary'), 400);
      if ((await check(set.changes)).length) return showSet(req, res, e('changes.problems'), 409);
      if (conflicts(deps.contentDir, set.changes).length) return showSet(req, res, e('changes.conflict'), 409);
      // The language the summary is written in: readers of that language see it in the guide's history.
      const summaryLanguage = deps.registry.get(body.summary_language ?? '')?.id ?? languageOf(req);
      await moveSet(deps.store, set.id, 'draft', {
        status: deps.reviewsRequired === 0 ? 'approved' : 'submitted',
        summary,
        summary_language: summaryLanguage,
        comment: '',
      });
      await audit(deps.store, me, 'submit', `#${set.id} ${summary}`);
      return back();
    }
    if (body.do === 'approve') {
      if (set.author === me) return refuse(req, res, 'errors.ownChange');
      if (set.status !== 'submitted') return showSet(req, res, e('changes.notWaiting'), 409);
      const approvals = await approve(deps.store, set.id, me);
      if (approvals >= deps.reviewsRequired) await moveSet(deps.store, set.id, 'submitted', { status: 'approved' });
      await audit(deps.store, me, 'approve', `#${set.id}`);
      return back();
    }
    if (body.do === 'revert') {
      // A new draft of the one who asks, putting back the texts this change set replaced: reviewed like any other.
      if (set.status !== 'published') return showSet(req, res, e('changes.notWaiting'), 409);
      const languages = res.locals.editor!.languages;
      if (!set.changes.every((c) => writesIn(languages, c.language))) return refuse(req, res, 'errors.language');
      const now = publishedNow(deps.contentDir, set.changes);
      const draft = await saveDrafts(
        deps.store,
        me,
        set.changes.map((c) => ({ ...c, base: now.get(c) ?? c.value, value: c.base })),
      );
      await audit(deps.store, me, 'revert', `#${set.id} → #${draft}`);
      return res.redirect(303, urls.editor.change(draft));
    }
    if (body.do === 'reject') {
      const comment = (body.comment ?? '').trim();
      if (!comment) return showSet(req, res, e('changes.needComment'), 400);
      if (!(await sendBack(deps.store, set.id, comment))) return showSet(req, res, e('changes.notWaiting'), 409);
      await audit(deps.store, me, 'reject', `#${set.id} ${comment}`);
      return back();
    }
    const outcome: Outcome = await publish(deps, set.id, me);
    if (outcome.kind !== 'published')
      return showSet(req, res, e(`changes.outcome.${outcome.kind}`, { message: 'message' in outcome ? outcome.message : '' }), 409);
    await audit(deps.store, me, 'publish', `#${set.id} ${outcome.revision ?? ''}`.trim());
    await deps.reload?.([...new Set(set.changes.map((c) => c.guide))], outcome.checked);
    if (body.handled && may(res.locals.editor!.role, 'handle')) {
      let handled = 0;
      for (const s of changedSteps(deps.catalogue, set.changes)) handled += await markHandled(deps.store, { ...s, tool: null }, me);
      await audit(deps.store, me, 'handle', `#${set.id}: ${handled}`);
    }
    back();
  }

  return router;
}
