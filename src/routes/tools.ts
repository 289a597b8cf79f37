import type { ParsedUrlQuery } from 'node:querystring';
import { z } from 'zod';
import { canonicalQuery } from '../cache/key.js';
import { HttpError, quote } from '../http/errors.js';
import { sendPage } from '../http/send.js';
import { allChecks } from '../tools/checklist.js';
import { type Answer, orderAnswers } from '../tools/decision.js';
import { patterns, urls } from '../urls.js';
import { listenLabels, shareView } from '../view-models/reach.js';
import { checklistView, decisionView, pairsView } from '../view-models/tool.js';
import { type Deps, type LocaleRoutes, versionsIn } from './locale.js';

/** The first problem of a query against a tool's schema, as a localized 400. */
function badQuery(error: z.ZodError, query: ParsedUrlQuery, single: readonly string[], back: string): HttpError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return new HttpError(400, 'toolUnknown', [], { name: quote(issue.keys[0]) }, back);
  const name = String(issue.path[0] ?? '');
  const value = query[name];
  if (Array.isArray(value) && single.includes(name)) return new HttpError(400, 'toolRepeated', [], { name: quote(name) }, back);
  return new HttpError(400, 'toolValue', [], { name: quote(name), value: quote(value) }, back);
}

/** A tool's page: its form, and once answered (every answer in the URL), its result; bad answers are a localized 400. */
export function toolRoutes(deps: Deps & { staticEdition?: boolean }) {
  return (routes: LocaleRoutes) => {
    routes.get(patterns.tool, (req, res, language) => {
      const tool = deps.catalogue.tool(String(req.params.tool));
      if (!tool) throw new HttpError(404, 'tool');
      const versions = versionsIn(language, tool.guide.languages, (l) => urls.tool(l, tool.id), 'toolLanguage');
      const back = urls.tool(language, tool.id);
      const query = req.query as ParsedUrlQuery;
      const ctx = { tool, language, registry: deps.registry, catalogue: deps.catalogue, t: deps.i18n.t(language.id) };
      const block = tool.block;
      let view;
      if (block.type === 'checklists') {
        const value = z.enum(allChecks(block.items) as [string, ...string[]]);
        const parsed = z.strictObject({ has: z.union([value, z.array(value)]).optional(), answered: z.literal('1').optional() }).safeParse(query);
        if (!parsed.success) throw badQuery(parsed.error, query, ['answered'], back);
        const { has, answered } = parsed.data;
        view = checklistView(ctx, block, has === undefined && !answered ? undefined : new Set([has ?? []].flat()), deps.staticEdition);
      } else if (block.type === 'pairs') {
        const parsed = z.strictObject({ profile: z.enum(block.items.map((i) => i.key) as [string, ...string[]]).optional() }).safeParse(query);
        if (!parsed.success) throw badQuery(parsed.error, query, ['profile'], back);
        view = pairsView(ctx, block, parsed.data.profile);
      } else {
        const keys = block.questions.map((q) => q.key);
        const shape = Object.fromEntries(keys.map((k) => [k, z.enum(['yes', 'no']).optional()]));
        const parsed = z.strictObject(shape).safeParse(query);
        if (!parsed.success) throw badQuery(parsed.error, query, keys, back);
        const given = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Record<string, Answer>;
        const ordered = orderAnswers(block.questions, given);
        if ('problem' in ordered) throw new HttpError(400, 'toolOrder', [], { name: quote(ordered.problem.name) }, back);
        view = decisionView(ctx, block, ordered.answers);
      }
      // The answers are valid: the same answers in every language version.
      const search = canonicalQuery(query);
      const answered = versions.map((v) => ({ ...v, path: v.path + search }));
      // With an answer, readers can report a problem with it.
      const reportHref = deps.feedback ? urls.toolReport(language, tool.id) : '';
      // An answer can be sent to a phone: its address holds the answers.
      const share =
        ('result' in view && view.result) || ('outcome' in view && view.outcome) ? shareView(deps.baseUrl, back + search, view.title, ctx.t) : undefined;
      const data = { tool: view, reportHref, share, listenLabels: listenLabels(ctx.t) };
      sendPage(res, deps, { template: 'pages/tool.njk', language, versions: answered, title: view.title, data });
    });
  };
}
