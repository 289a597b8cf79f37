import { createHmac, timingSafeEqual } from 'node:crypto';
import { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../content/catalogue.js';
import { XLIFF_LIMIT } from '../editing/xliff.js';
import { HttpError } from '../http/errors.js';
import { clientAddress, editorFormBody, editorUpload, sameSite } from '../http/forms.js';
import { sendCsv } from '../http/send.js';
import type { EditorLanguage, I18n } from '../i18n.js';
import type { Registry } from '../languages.js';
import { type RenderDeps, renderPage } from '../render/page.js';
import { audit } from '../store/audit.js';
import type { Store } from '../store/db.js';
import { type Action, authenticate, createSession, endSession, may, SESSION_HOURS, sessionEditor, TooManyChecks } from '../store/editors.js';
import { allReports, guideCounts, markHandled, openReports, screenShares } from '../store/feedback.js';
import type { Throttle } from '../store/throttle.js';
import { addressSalt } from '../store/throttle.js';
import { urls } from '../urls.js';
import { dashboardView, guidesView } from '../view-models/editor.js';
import { adminRoutes, type EditorPage } from './editor-admin.js';
import { type EditingDeps, editingRoutes } from './editor-edit.js';
import { historyRoutes } from './editor-history.js';

export interface EditorDeps extends RenderDeps, EditingDeps {
  store: Store;
  /** Failed sign-ins are counted in the store, in both dialects: copies share it, and a restart forgets nothing. */
  signInThrottle: () => Promise<Throttle>;
  catalogue: Catalogue;
  registry: Registry;
  i18n: I18n;
  today: () => string;
  baseOrigin: string;
  /** Under https the session cookie is Secure. */
  https: boolean;
}

const COOKIE = 'dalil_editor';
/** Failed sign-in attempts allowed: per account, and per address, in a quarter of an hour. */
const ATTEMPTS = { account: 5, address: 20, windowMs: 15 * 60_000 };

const cookieOf = (req: Request) =>
  (req.get('cookie') ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The editors' area, under /editor only: sign-in with a name and a password (accounts are made on
 * the command line), a session kept in the store (so that copies share it) behind a cookie that
 * lives under /editor only, a CSRF token on every form, nothing cached, nothing indexed. French or
 * English, as the editor's browser prefers.
 */
export function editorRoutes(deps: EditorDeps): Router {
  const router = Router();
  const languageOf = (req: Request): EditorLanguage => (deps.registry.negotiate(req.get('accept-language')).id === 'en' ? 'en' : 'fr');
  const cookie = (token: string, maxAge: number) =>
    `${COOKIE}=${token}; Path=/editor; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${deps.https ? '; Secure' : ''}`;
  /** The sign-in form's CSRF token: the time, signed with the secret the copies share. */
  const signInToken = async (at = Date.now()) =>
    `${at}.${createHmac('sha256', await addressSalt(deps.store))
      .update(`sign-in:${at}`)
      .digest('base64url')}`;
  const validSignInToken = async (token: unknown) => {
    if (typeof token !== 'string') return false;
    const at = Number(token.split('.')[0]);
    return Number.isInteger(at) && Date.now() - at < 3_600_000 && same(token, await signInToken(at));
  };

  /** A page of the area; once signed in, with the account's name and role, the pages its role may open, and the sign-out. */
  const page: EditorPage = (req, res, template, title, data, status = 200) => {
    const language = languageOf(req);
    const e = deps.i18n.editor(language);
    const editor = res.locals.editor;
    const path = req.originalUrl.split('?')[0];
    const account = editor && {
      name: editor.name,
      role: e(`roles.${editor.role}`),
      csrf: editor.csrf,
      signOut: urls.editor.signOut,
      links: NAV.filter((n) => may(editor.role, n.action)).map((n) => ({ href: n.href, label: e(n.label), current: path === n.href })),
    };
    const html = renderPage(deps, { template, language: deps.registry.get(language)!, versions: [], title, data: { ...data, e, account } });
    res.status(status).type('html').send(html);
  };
  /** Lets the request through if the signed-in account's role may do this; else 403 in the editor's language, nothing done. */
  const allow = (action: Action) => (req: Request, res: Response, next: NextFunction) => {
    const editor = res.locals.editor!;
    if (may(editor.role, action)) return next();
    const e = deps.i18n.editor(languageOf(req));
    page(req, res, 'editor/message.njk', e('errors.forbiddenTitle'), { message: e('errors.forbidden', { role: e(`roles.${editor.role}`) }) }, 403);
  };

  router.use((req, res, next) => {
    res.set('Cache-Control', 'no-store');
    res.set('X-Robots-Tag', 'noindex, nofollow');
    res.vary('Accept-Language');
    next();
  });
  // Every form of the area is posted from this site only; bodies are small forms.
  router.post(urls.editor.xliffImport.slice('/editor'.length), sameSite(deps.baseOrigin), editorUpload(XLIFF_LIMIT));
  router.post('/{*any}', sameSite(deps.baseOrigin), editorFormBody);
  router.use(async (_req, _res, next) => next((await deps.store.available()) ? undefined : new HttpError(503, 'storeDown')));

  const signInPage = async (req: Request, res: Response, message = '', status = 200) => {
    const e = deps.i18n.editor(languageOf(req));
    page(req, res, 'editor/sign-in.njk', e('signIn.title'), { action: urls.editor.signIn, csrf: await signInToken(), message }, status);
  };
  router.get('/sign-in', (req, res) => signInPage(req, res));
  router.post('/sign-in', async (req, res) => {
    const e = deps.i18n.editor(languageOf(req));
    const body = z.object({ name: z.string().max(100), password: z.string().max(1000), csrf: z.string().max(200) }).safeParse(req.body);
    if (!body.success || !(await validSignInToken(body.data.csrf))) return signInPage(req, res, e('errors.csrf'), 400);
    // Each attempt is counted before its password is checked, per account and per address (an
    // atomic increment in the store): however many come at once, from however many copies, no more
    // than the limit are checked. Past it even the right password waits; a right one is not counted.
    const throttle = await deps.signInThrottle();
    const keys = [`sign-in:account:${body.data.name}`, `sign-in:address:${clientAddress(req)}`] as const;
    const within = await Promise.all([throttle.hit(keys[0], ATTEMPTS.account, ATTEMPTS.windowMs), throttle.hit(keys[1], ATTEMPTS.address, ATTEMPTS.windowMs)]);
    const release = () => Promise.all(keys.map((k) => throttle.release(k, ATTEMPTS.windowMs)));
    if (!within.every(Boolean)) {
      res.set('Retry-After', String(ATTEMPTS.windowMs / 1000));
      return signInPage(req, res, e('signIn.throttled'), 429);
    }
    let editor;
    try {
      editor = await authenticate(deps.store, body.data.name, body.data.password);
    } catch (error) {
      if (!(error instanceof TooManyChecks)) throw error;
      // Not checked: not counted.
      await release();
      res.set('Retry-After', '5');
      return signInPage(req, res, e('signIn.busy'), 429);
    }
    if (!editor) return signInPage(req, res, e('signIn.failed'), 401);
    await release();
    const { token } = await createSession(deps.store, editor.id);
    await audit(deps.store, editor.name, 'sign-in');
    res.set('Set-Cookie', cookie(token, SESSION_HOURS * 3600)).redirect(303, urls.editor.home);
  });

  // Past this point, a session.
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const token = cookieOf(req);
    const editor = token ? await sessionEditor(deps.store, token) : undefined;
    if (!editor) return res.redirect(303, urls.editor.signIn);
    res.locals.editor = editor;
    if (req.method === 'POST') {
      const csrf = (req.body as Record<string, unknown> | undefined)?.csrf;
      if (typeof csrf !== 'string' || !same(csrf, editor.csrf)) {
        return page(
          req,
          res,
          'editor/message.njk',
          deps.i18n.editor(languageOf(req))('errors.csrf'),
          { message: deps.i18n.editor(languageOf(req))('errors.csrf') },
          403,
        );
      }
    }
    next();
  });

  router.get('/', allow('read'), async (req, res) => {
    const editor = res.locals.editor!;
    const e = deps.i18n.editor(languageOf(req));
    const asked = z.object({ page: z.coerce.number().int().min(1).max(100_000) }).safeParse(req.query);
    const at = asked.success ? asked.data.page - 1 : 0;
    const [open, shares] = await Promise.all([openReports(deps.store, at), screenShares(deps.store)]);
    const handled = z.object({ handled: z.coerce.number().int().min(0) }).safeParse(req.query);
    page(req, res, 'editor/dashboard.njk', e('dashboard.title'), {
      handled: handled.success ? e('dashboard.handled', { count: handled.data.handled }) : '',
      board: dashboardView(deps, e, languageOf(req), { open: open.groups, total: open.total, page: at, shares, today: deps.today(), csrf: editor.csrf }),
    });
  });

  router.get('/guides', allow('read'), async (req, res) => {
    const e = deps.i18n.editor(languageOf(req));
    const counts = await guideCounts(deps.store);
    const me = res.locals.editor!;
    page(req, res, 'editor/guides.njk', e('guides.title'), {
      guides: guidesView(deps, e, languageOf(req), { ...counts, today: deps.today() }),
      canImport: may(me.role, 'submit'),
      importAction: urls.editor.xliffImport,
      csrf: me.csrf,
    });
  });

  router.post('/handle', allow('handle'), async (req, res) => {
    const body = z
      .object({ guide: z.string().max(100), step: z.string().regex(/^([1-9][0-9]{0,3})?$/), tool: z.string().max(100), language: z.string().max(10) })
      .safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'request');
    const { guide, step, tool, language } = body.data;
    const editor = res.locals.editor!.name;
    const count = await markHandled(deps.store, { guide, step: step ? Number(step) : null, tool: tool || null, language }, editor);
    await audit(deps.store, editor, 'handle', `${guide} ${tool || `step ${step}`} ${language}: ${count}`);
    res.redirect(303, `${urls.editor.home}?handled=${count}`);
  });

  router.get('/reports.csv', allow('export'), async (_req, res) => {
    await audit(deps.store, res.locals.editor!.name, 'export', 'reports.csv');
    const header = ['id', 'guide', 'step', 'tool', 'language', 'kind', 'comment', 'release', 'created_at', 'handled_at', 'handled_by', 'answer_id'] as const;
    await sendCsv(res, 'dalil-reports.csv', header, allReports(deps.store));
  });

  router.use(editingRoutes(deps, { page, allow, languageOf }));
  router.use(historyRoutes(deps, { page, allow, languageOf }));
  router.use(adminRoutes(deps, { page, allow, languageOf }));

  router.post('/sign-out', async (req, res) => {
    const token = cookieOf(req);
    if (token) await endSession(deps.store, token);
    await audit(deps.store, res.locals.editor!.name, 'sign-out');
    res.set('Clear-Site-Data', '"cache"');
    res.set('Set-Cookie', cookie('', 0)).redirect(303, urls.editor.signIn);
  });
  return router;
}

/** The pages of the area, each shown in the header to the roles that may open it. */
const NAV: ReadonlyArray<{ href: string; label: string; action: Action }> = [
  { href: urls.editor.home, label: 'dashboard.title', action: 'read' },
  { href: urls.editor.guides, label: 'guides.title', action: 'read' },
  { href: urls.editor.changes, label: 'changes.title', action: 'read' },
  { href: urls.editor.history, label: 'history.title', action: 'read' },
  { href: urls.editor.accounts, label: 'accounts.title', action: 'accounts' },
  { href: urls.editor.audit, label: 'audit.title', action: 'audit' },
];
