import type { Inline } from '../content/markup.js';
import type { Fact } from '../content/schema.js';
import type { Language, Registry } from '../languages.js';
import { breakableUrl, displayUrl, escapeHtml } from '../render/html.js';
import { urls } from '../urls.js';

export interface InlineContext {
  /** The language the text is written in. */
  language: Language;
  /** The language of the real site's labels: Latin runs in right-to-left text are tagged with it. */
  siteLanguage: Language;
  facts: Record<string, Fact>;
  registry: Registry;
}

/**
 * A run of Latin letters and Western digits (with the spaces and punctuation inside names,
 * addresses and numbers). In right-to-left text each run is isolated so that its words and
 * digit groups keep their order: "05 20 19 40 40" must never read "40 40 19 20 05".
 */
const LATIN_RUN = /[\p{Script=Latin}0-9](?:[\p{Script=Latin}0-9 .,:'’/@+_&-]*[\p{Script=Latin}0-9])?/gu;

/** Closing punctuation (with the spaces French puts before some of it) that must not start a line. */
const CLOSING = /^[\s\u00a0\u202f]*[.,;:!?…)\]»”’،؛؟]+/u;

/** Guide text (parsed inline markup) as safe HTML. */
export function renderInline(nodes: Inline[], ctx: InlineContext): string {
  let out = '';
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    const next = nodes[i + 1];
    const closing = n.t === 'fact' && ctx.facts[n.id]?.kind === 'ui' && next?.t === 'text' ? CLOSING.exec(next.v)?.[0] : undefined;
    if (closing && next?.t === 'text') {
      // A boxed label moves as a whole: the punctuation after it goes with it, never alone to the next line.
      out += `<span class="ui-run">${renderNode(n, ctx)}${escapeHtml(closing)}</span>`;
      if (next.v.length > closing.length) out += renderNode({ t: 'text', v: next.v.slice(closing.length) }, ctx);
      i += 1;
    } else out += renderNode(n, ctx);
  }
  return out;
}

function renderNode(n: Inline, ctx: InlineContext): string {
  switch (n.t) {
    case 'text':
      return ctx.language.dir === 'rtl' ? isolateLatin(n.v, ctx.siteLanguage) : escapeHtml(n.v);
    case 'strong':
      return `<strong>${renderInline(n.children, ctx)}</strong>`;
    case 'link': {
      const target = href(n.href, ctx.language);
      const a = `<a href="${escapeHtml(target)}">${renderInline(n.children, ctx)}</a>`;
      // On paper an official site's address is written out after its words (the stylesheet shows it in print only).
      return target.startsWith('http') ? `${a}<span class="print-href" dir="ltr"> (${breakableUrl(displayUrl(target))})</span>` : a;
    }
    case 'term': {
      const l = ctx.registry.get(n.lang)!;
      return `<bdi class="term" lang="${l.lang}" dir="${l.dir}">${escapeHtml(n.v)}</bdi>`;
    }
    case 'fact':
      return renderFact(ctx.facts[n.id]!, ctx);
  }
}

/** A link's address: an official site as written, or a page of Dalil ("tool:…", "guide:…#…") in the reader's language. */
function href(ref: string, language: Language): string {
  if (ref.startsWith('tool:')) return urls.tool(language, ref.slice(5));
  if (!ref.startsWith('guide:')) return ref;
  const [slug = '', section] = ref.slice(6).split('#');
  return urls.guide(language, slug) + (section ? urls.section(section) : '');
}

function renderFact(f: Fact, ctx: InlineContext): string {
  switch (f.kind) {
    case 'ui': {
      const l = (f.lang && ctx.registry.get(f.lang)) || ctx.siteLanguage;
      return `<bdi class="ui" lang="${l.lang}" dir="${l.dir}">${escapeHtml(f.value)}</bdi>`;
    }
    case 'code':
      return `<bdi class="code" dir="ltr">${escapeHtml(f.value)}</bdi>`;
    case 'phone':
      return `<a class="phone" href="tel:${f.value.replace(/ /g, '')}" dir="ltr">${escapeHtml(f.value).replace(/ /g, '\u00a0')}</a>`;
    case 'url':
      return `<a class="url" href="${escapeHtml(f.value)}" dir="ltr">${breakableUrl(displayUrl(f.value))}</a>`;
  }
}

function isolateLatin(text: string, siteLanguage: Language): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(LATIN_RUN)) {
    out += escapeHtml(text.slice(last, m.index));
    const lang = /\p{Script=Latin}/u.test(m[0]) ? ` lang="${siteLanguage.lang}"` : '';
    out += `<bdi dir="ltr"${lang}>${escapeHtml(m[0])}</bdi>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}
