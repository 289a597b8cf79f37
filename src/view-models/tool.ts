import type { TFunction } from 'i18next';
import type { Catalogue, Tool } from '../content/catalogue.js';
import type { Language, Registry } from '../languages.js';
import { formatDate } from '../render/dates.js';
import { displayUrl, sourceText } from '../render/html.js';
import { allChecks, checkItems } from '../tools/checklist.js';
import { type Answer, walk } from '../tools/decision.js';
import { urls } from '../urls.js';
import { helpView } from './help.js';
import { provenanceLine } from './provenance.js';
import { guideTexts } from './texts.js';

type Of<T extends Tool['block']['type']> = Extract<Tool['block'], { type: T }>;

interface Context {
  tool: Tool;
  language: Language;
  registry: Registry;
  catalogue: Catalogue;
  t: TFunction;
}

const base = ({ tool, language, registry, t }: Context) => {
  const texts = guideTexts(tool.guide, language, registry);
  return {
    texts,
    head: {
      id: tool.id,
      href: urls.tool(language, tool.id),
      title: texts.plain(`${tool.block.id}.tool.title`),
      titleHtml: texts.html(`${tool.block.id}.tool.title`),
      introHtml: texts.html(`${tool.block.id}.tool.intro`),
      guide: { href: urls.guide(language, tool.guide.slug), titleHtml: texts.html('title') },
      // The tool's texts are the guide's: where they came from, with the tool in the reference language.
      provenance: provenanceLine(tool.guide, language, t, urls.tool(tool.guide.reference, tool.id)),
      help: helpView(tool.guide, language, t),
    },
  };
};

/**
 * The identity-provider checker: the form (ticked as asked) and, once answered, the result. In a
 * static edition, which cannot answer, the page leads to the provider cards of the guide instead.
 */
export function checklistView(ctx: Context, block: Of<'checklists'>, has: ReadonlySet<string> | undefined, staticEdition = false) {
  const { texts, head } = base(ctx);
  if (staticEdition) {
    const section = ctx.tool.guide.sections.find((s) => s.blocks.includes(block))!;
    return {
      ...head,
      kind: 'checklist' as const,
      options: [],
      result: undefined,
      offline: undefined,
      static: link(ctx, `guide:${ctx.tool.guide.slug}#${section.id}`),
    };
  }
  const text = (item: string, check: string) => texts.html(`${block.id}.${item}.${check}`);
  // A value's label is the text of the first card that asks for it.
  const options = allChecks(block.items).map((value) => ({
    value,
    html: text(block.items.find((i) => i.checks.includes(value))!.key, value),
    checked: has?.has(value) ?? false,
  }));
  const item = (key: string) => block.items.find((i) => i.key === key)!;
  const card = (key: string) => {
    const i = item(key);
    return {
      key,
      name: i.name,
      lang: ctx.tool.guide.siteLanguage.lang,
      status: i.status,
      notice: i.status === 'current' ? '' : texts.html(`${block.id}.${key}.notice`),
      date: i.date ? formatDate(i.date, ctx.language, ctx.tool.guide.country) : '',
      source: i.source ? { href: i.source, text: sourceText(i.source) } : undefined,
    };
  };
  const result = has && checkItems(block.items, has);
  // When none fits: the providers the reader lacks fewest things for lead the answer.
  const fewest = result && !result.matches.length ? Math.min(...result.others.map((o) => o.missing.length)) : 0;
  const missing = (o: { key: string; missing: string[] }) => ({ ...card(o.key), missing: o.missing.map((c) => ({ value: c, html: text(o.key, c) })) });
  const next = helpLinks(ctx);
  // Before an answer, the page carries every part an answer can have and the cards' requirements,
  // so that offline (served from the page kept on the device) public/js/checker.js keeps the parts
  // of this answer: the same answer as the server's, without the network.
  const every = checkItems(block.items, new Set());
  return {
    ...head,
    kind: 'checklist' as const,
    options,
    result: result && {
      matches: result.matches.map((m) => card(m.key)),
      closest: result.others.filter((o) => o.missing.length === fewest).map(missing),
      others: result.others.filter((o) => result.matches.length > 0 || o.missing.length !== fewest).map(missing),
      withdrawn: result.withdrawn.map((w) => card(w.key)),
      unknown: result.unknown.map((u) => card(u.key)),
      next,
    },
    offline: result
      ? undefined
      : {
          items: block.items.map((i) => ({ key: i.key, status: i.status, checks: i.checks })),
          result: {
            matches: every.others.map((o) => card(o.key)),
            closest: every.others.map(missing),
            others: every.others.map(missing),
            withdrawn: every.withdrawn.map((w) => card(w.key)),
            unknown: every.unknown.map((u) => card(u.key)),
            next,
          },
        },
    static: undefined,
  };
}

/** The referral: one question, its answer with the body to go to. */
export function pairsView(ctx: Context, block: Of<'pairs'>, profile: string | undefined) {
  const { texts, head } = base(ctx);
  const found = block.items.find((i) => i.key === profile);
  return {
    ...head,
    kind: 'pairs' as const,
    name: 'profile',
    options: block.items.map((i) => ({ value: i.key, html: texts.html(`${block.id}.${i.key}.term`), checked: i.key === profile })),
    result: found && {
      key: found.key,
      value: found.value ?? found.key,
      termHtml: texts.html(`${block.id}.${found.key}.term`),
      detailHtml: texts.html(`${block.id}.${found.key}.detail`),
      // Where it leads: its official site; and the guide's notice that goes with it (what to bring), dated and sourced.
      site: found.url ? { href: found.url, text: displayUrl(found.url) } : undefined,
      note: found.note && block.note ? notice(ctx, block.note) : undefined,
    },
  };
}

/** The orientation chart, one question per page; the answers so far travel in the URL. */
export function decisionView(ctx: Context, block: Of<'decision'>, answers: readonly Answer[]) {
  const { texts, head } = base(ctx);
  const step = walk(block.questions, block.yes, answers);
  const asked = block.questions.slice(0, answers.length).map((q, i) => ({
    key: q.key,
    questionHtml: texts.html(`${block.id}.${q.key}.question`),
    answer: answers[i]!,
    // The same page with this answer and the ones after it removed.
    changeHref: href(
      head.href,
      block.questions.slice(0, i).map((p, k) => [p.key, answers[k]!]),
    ),
  }));
  const hidden = asked.map((a) => ({ name: a.key, value: a.answer }));
  if (!step.done) {
    return {
      ...head,
      kind: 'decision' as const,
      startHtml: texts.html(`${block.id}.start`),
      asked,
      question: { key: step.next.key, html: texts.html(`${block.id}.${step.next.key}.question`), n: step.answered + 1, of: block.questions.length, hidden },
      outcome: undefined,
    };
  }
  const last = block.questions[step.answered - 1]!;
  const outcomeHtml = step.outcome === block.yes && answers.at(-1) === 'yes' ? texts.html(`${block.id}.yes`) : texts.html(`${block.id}.${last.key}.no`);
  return {
    ...head,
    kind: 'decision' as const,
    startHtml: texts.html(`${block.id}.start`),
    asked,
    question: undefined,
    outcome: { key: step.outcome, html: outcomeHtml, links: (block.links[step.outcome] ?? []).map((ref) => link(ctx, ref)).filter((l) => l !== undefined) },
  };
}

/** A dated notice (callout) of the tool's guide, as its guide page shows it. */
function notice(ctx: Context, id: string) {
  const callout = ctx.tool.guide.sections.flatMap((s) => s.blocks).find((b) => b.type === 'callout' && b.id === id);
  if (callout?.type !== 'callout') return undefined;
  return {
    tone: callout.tone,
    label: ctx.t(callout.tone === 'warning' ? 'guide.warning' : 'guide.note'),
    html: guideTexts(ctx.tool.guide, ctx.language, ctx.registry).html(id),
    date: callout.date ? formatDate(callout.date, ctx.language, ctx.tool.guide.country) : '',
    source: callout.source ? { href: callout.source, text: sourceText(callout.source) } : undefined,
  };
}

/** Where to go when no provider fits: the orientation chart and Aidants Connect, when they exist in this language. */
function helpLinks(ctx: Context) {
  return ctx.catalogue.tools
    .filter((tool) => tool.block.type === 'decision' && tool.guide.languages.includes(ctx.language))
    .flatMap((tool) => [
      link(ctx, `tool:${tool.id}`),
      ...(tool.block.type === 'decision' ? (tool.block.links[tool.block.questions.at(-1)!.no] ?? []).map((ref) => link(ctx, ref)) : []),
    ])
    .filter((l) => l !== undefined);
}

/** A link to a guide section or a tool, titled in the reader's language, when the page exists in it. */
function link(ctx: Context, ref: string) {
  const target = ctx.catalogue.resolve(ref);
  if (!target) return undefined;
  const guide = target.kind === 'tool' ? target.tool.guide : target.guide;
  if (!guide.languages.includes(ctx.language)) return undefined;
  const { html } = guideTexts(guide, ctx.language, ctx.registry);
  if (target.kind === 'tool') return { href: urls.tool(ctx.language, target.tool.id), html: html(`${target.tool.block.id}.tool.title`) };
  const page = urls.guide(ctx.language, guide.slug);
  return target.section
    ? { href: page + urls.section(target.section), html: `${html('title')} · ${html(`${target.section}.title`)}` }
    : { href: page, html: html('title') };
}

const href = (path: string, params: Array<[string, string]>) => (params.length ? `${path}?${new URLSearchParams(params).toString()}` : path);
