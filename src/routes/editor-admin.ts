import { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { HttpError } from '../http/errors.js';
import { sendCsv } from '../http/send.js';
import type { EditorLanguage, I18n } from '../i18n.js';
import type { Registry } from '../languages.js';
import { AUDIT_PAGE, audit, auditBatches, auditPage } from '../store/audit.js';
import type { Store } from '../store/db.js';
import { type Action, changeEditor, listEditors, ROLES, removeEditor } from '../store/editors.js';
import { urls } from '../urls.js';

/** Renders a page of the editors' area (routes/editor.ts makes it). */
export type EditorPage = (req: Request, res: Response, template: string, title: string, data: Record<string, unknown>, status?: number) => void;

export interface Helpers {
  page: EditorPage;
  allow: (action: Action) => (req: Request, res: Response, next: NextFunction) => void;
  languageOf: (req: Request) => EditorLanguage;
}

/**
 * What admins do in the editors' area: change an account's role and languages or remove it
 * (accounts are made on the command line), and read the audit log, on a page and as CSV. Every
 * change is audited; nobody changes or removes their own account here, so an admin cannot lock
 * the area out of its last admin by mistake.
 */
export function adminRoutes(deps: { store: Store; registry: Registry; i18n: I18n }, { page, allow, languageOf }: Helpers): Router {
  const router = Router();
  const languages = deps.registry.all.map((l) => l.id);

  const accountsPage = async (req: Request, res: Response, message = '', status = 200) => {
    const e = deps.i18n.editor(languageOf(req));
    const me = res.locals.editor!;
    const accounts = (await listEditors(deps.store)).map((a) => ({
      ...a,
      self: a.name === me.name,
      roleName: e(`roles.${a.role}`),
      languages: a.languages.join(','),
      created: a.created_at.slice(0, 10),
    }));
    page(
      req,
      res,
      'editor/accounts.njk',
      e('accounts.title'),
      {
        accounts,
        roles: ROLES.map((r) => ({ id: r, name: e(`roles.${r}`) })),
        known: languages.join(', '),
        csrf: me.csrf,
        action: urls.editor.accounts,
        message,
        done: req.query.done === 'changed' || req.query.done === 'removed' ? e(`accounts.done.${req.query.done}`) : '',
      },
      status,
    );
  };

  router.get('/accounts', allow('accounts'), (req, res) => accountsPage(req, res));
  router.post('/accounts', allow('accounts'), async (req, res) => {
    const e = deps.i18n.editor(languageOf(req));
    const body = z
      .object({
        name: z.string().max(100),
        change: z.enum(['role', 'remove']),
        role: z.enum(ROLES).optional(),
        languages: z.string().max(200).optional(),
      })
      .safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'request');
    const { name, change } = body.data;
    const me = res.locals.editor!.name;
    if (name === me) return accountsPage(req, res, e('accounts.notSelf'), 400);
    if (change === 'remove') {
      if (!(await removeEditor(deps.store, name))) return accountsPage(req, res, e('accounts.unknown', { name }), 404);
      await audit(deps.store, me, 'account-remove', name);
      return res.redirect(303, `${urls.editor.accounts}?done=removed`);
    }
    const chosen = (body.data.languages ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((l) => l.toLowerCase());
    const unknown = chosen.filter((l) => !languages.includes(l));
    if (!body.data.role || unknown.length)
      return accountsPage(req, res, e('accounts.badLanguages', { unknown: unknown.join(', '), known: languages.join(', ') }), 400);
    const account = { role: body.data.role, languages: [...new Set(chosen)] };
    if (!(await changeEditor(deps.store, name, account))) return accountsPage(req, res, e('accounts.unknown', { name }), 404);
    await audit(deps.store, me, 'account-change', `${name}: ${account.role} ${account.languages.join(',')}`.trim());
    res.redirect(303, `${urls.editor.accounts}?done=changed`);
  });

  router.get('/audit', allow('audit'), async (req, res) => {
    const e = deps.i18n.editor(languageOf(req));
    const asked = z.object({ page: z.coerce.number().int().min(1).max(100_000) }).safeParse(req.query);
    const at = asked.success ? asked.data.page - 1 : 0;
    const { rows, total } = await auditPage(deps.store, at);
    const pages = Math.ceil(total / AUDIT_PAGE);
    page(req, res, 'editor/audit.njk', e('audit.title'), {
      entries: rows.map((r) => ({ ...r, actionName: e(`audit.actions.${r.action}`, { defaultValue: r.action }) })),
      total,
      csv: urls.editor.auditCsv,
      pages: pages > 1 ? Array.from({ length: pages }, (_, i) => ({ n: i + 1, href: `${urls.editor.audit}?page=${i + 1}`, current: i === at })) : [],
    });
  });

  router.get('/audit.csv', allow('audit'), async (_req, res) => {
    await audit(deps.store, res.locals.editor!.name, 'export', 'audit.csv');
    await sendCsv(res, 'dalil-audit.csv', ['id', 'at', 'account', 'action', 'detail'] as const, auditBatches(deps.store));
  });
  return router;
}
