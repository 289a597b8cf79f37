/**
 * The small inline markup of guide texts. Everything else is plain text, escaped on output.
 *
 *   **words**              strong emphasis
 *   [words](https://…)     a link to an official site (a domain the guide declares)
 *   [words](tool:<id>)     a link to a page of Dalil: a tool, or a guide (guide:<slug>, guide:<slug>#<section>),
 *                          in the reader's language (the content check proves it exists in it)
 *   {fact-id}              a fact of guide.yaml: on-screen label, code, phone number, address
 *   {fr:numéro fiscal}     a term in another language (a registry id), e.g. the French word on a form
 */
export type Inline =
  | { t: 'text'; v: string }
  | { t: 'strong'; children: Inline[] }
  | { t: 'link'; href: string; children: Inline[] }
  | { t: 'fact'; id: string }
  | { t: 'term'; lang: string; v: string };

export class InlineError extends Error {}

export function parseInline(source: string): Inline[] {
  return parse(source, true);
}

function parse(source: string, top: boolean): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '*' && source[i + 1] === '*') {
      if (!top) throw new InlineError('"**" cannot be nested inside emphasis or a link');
      const end = source.indexOf('**', i + 2);
      if (end < 0) throw new InlineError('"**" is opened but never closed');
      flush();
      out.push({ t: 'strong', children: parse(source.slice(i + 2, end), false) });
      i = end + 2;
    } else if (c === '[') {
      if (!top) throw new InlineError('"[" cannot be nested inside emphasis or a link');
      const m = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(source.slice(i));
      if (!m) throw new InlineError('"[" must start a link written [words](https://address)');
      flush();
      out.push({ t: 'link', href: m[2]!, children: parse(m[1]!, false) });
      i += m[0].length;
    } else if (c === '{') {
      const end = source.indexOf('}', i);
      if (end < 0 || source.slice(i + 1, end).includes('{')) throw new InlineError('"{" is opened but never closed');
      const inner = source.slice(i + 1, end);
      const term = /^([a-z]{2,3}):(\S[^{}]*)$/.exec(inner);
      flush();
      if (term) out.push({ t: 'term', lang: term[1]!, v: term[2]!.trim() });
      else if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(inner)) out.push({ t: 'fact', id: inner });
      else throw new InlineError(`"{${inner}}" is neither a fact {fact-id} nor a term {fr:words}`);
      i = end + 1;
    } else if (c === '}' || c === ']') {
      throw new InlineError(`"${c}" has no opening "${c === '}' ? '{' : '['}"`);
    } else {
      text += c;
      i += 1;
    }
  }
  flush();
  return out;
}

/** Every plain-text run, with the language it is written in (the text's own, or a term's). */
export function* textRuns(nodes: Inline[], lang: string): Generator<{ lang: string; v: string }> {
  for (const n of nodes) {
    if (n.t === 'text') yield { lang, v: n.v };
    else if (n.t === 'term') yield { lang: n.lang, v: n.v };
    else if (n.t === 'strong' || n.t === 'link') yield* textRuns(n.children, lang);
  }
}

export function* facts(nodes: Inline[]): Generator<string> {
  for (const n of nodes) {
    if (n.t === 'fact') yield n.id;
    else if (n.t === 'strong' || n.t === 'link') yield* facts(n.children);
  }
}

export function* links(nodes: Inline[]): Generator<string> {
  for (const n of nodes) if (n.t === 'link') yield n.href;
}

/** A link to a page of Dalil rather than to an official site: "tool:<id>", "guide:<slug>" or "guide:<slug>#<section>". */
export const REF = /^(guide:[a-z0-9-]+(#[a-z0-9-]+)?|tool:[a-z0-9-]+)$/;
