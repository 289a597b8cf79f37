import { Router } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../content/catalogue.js';
import type { I18n } from '../i18n.js';
import type { Registry } from '../languages.js';
import { changeSet, changeSets } from '../store/changes.js';
import type { Store } from '../store/db.js';
import { urls } from '../urls.js';
import { changeSetView } from '../view-models/change-sets.js';
import type { Helpers } from './editor-admin.js';

const PAGE = 20;

/**
 * /editor/history: every publish, newest first, twenty a page: who wrote it and who published it,
 * when, its summary and commit, and each text or fact as it was and as it became; each links to
 * its change set, where it can be reverted.
 */
export function historyRoutes(deps: { store: Store; registry: Registry; i18n: I18n; catalogue: Catalogue }, { page, allow, languageOf }: Helpers): Router {
  const router = Router();
  router.get('/history', allow('read'), async (req, res) => {
    const e = deps.i18n.editor(languageOf(req));
    const asked = z.object({ page: z.coerce.number().int().min(1).max(10_000) }).safeParse(req.query);
    const at = asked.success ? asked.data.page - 1 : 0;
    // One more than a page: whether there is an older one.
    const rows = await changeSets(deps.store, ['published'], PAGE + 1, at * PAGE);
    const shown = rows.slice(0, PAGE);
    const sets = await Promise.all(shown.map((r) => changeSet(deps.store, r.id)));
    const me = res.locals.editor!.name;
    const none = { submit: false, approve: false, reject: false, publish: false, revert: false, handle: false };
    page(req, res, 'editor/history.njk', e('history.title'), {
      sets: sets.map((s) => changeSetView(deps, e, s!, { me, current: new Map(), issues: [], required: 0, open: 0, may: none })),
      newer: at > 0 ? `${urls.editor.history}?page=${at}` : '',
      older: rows.length > PAGE ? `${urls.editor.history}?page=${at + 2}` : '',
    });
  });
  return router;
}
