import js2xliff, { type Content as Written, type Standalone, type Unit as WrittenUnit } from 'xliff/js2xliff';
import xliff2js, { type Content as Read, type Unit as ReadUnit } from 'xliff/xliff2js';

/** Bytes an uploaded XLIFF file may have: a guide's texts in one language are under 60 KB, and a broken file of this size takes the parser about 2 s. */
export const XLIFF_LIMIT = 500_000;

/** An uploaded file refused: every problem found, each a sentence for the translator (one a line in the message). */
export class XliffError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'XliffError';
  }
}

export interface XliffUnit {
  id: string;
  source: string;
  target?: string;
  note?: string;
}

export interface XliffDocument {
  sourceLanguage: string;
  targetLanguage: string;
  file: string;
  units: XliffUnit[];
}

/**
 * A code of Dalil's inline markup (**, a link's "[" and "](href)", {fact} or {fr:words}), or an
 * interpolation of the interface's strings ({{name}}): the capturing group makes split() keep them.
 */
const CODE = /(\*\*|\]\([^)\s]+\)|\[|\{\{[^{}]*\}\}|\{[^{}]*\})/;

type Code = { id: string; text: string };

/** The codes of a text, in order: split() puts them at the odd indexes. */
const codesOf = (text: string) => text.split(CODE).filter((_, i) => i % 2 === 1);

/** The codes of a source, numbered "1", "2", … in order. */
const sourceCodes = (source: string): Code[] => codesOf(source).map((text, n) => ({ id: String(n + 1), text }));

/**
 * The codes of a target: each takes the id of the first unused source code with the same text, so
 * that a translator may move codes around; one the source does not have gets "t1", "t2", …
 */
function targetCodes(target: string, source: Code[]): Code[] {
  const used = new Set<Code>();
  let extra = 0;
  return codesOf(target).map((text) => {
    const match = source.find((code) => code.text === text && !used.has(code));
    if (!match) return { id: `t${++extra}`, text };
    used.add(match);
    return match;
  });
}

/** An attribute's value escaped but for '"': xml-js escapes only that one in attributes. */
const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * A text as the library writes it: a plain string, or its words with a <ph/> for each code (equiv and
 * disp its text). xml-js, under the library, writes a text's "&amp;" as "&": the words are cut
 * between "&" and "amp;", each piece a text node of its own.
 */
function content(text: string, codes: Code[]): Written {
  const parts = text.split(CODE).flatMap<string | Standalone>((part, i) => {
    if (i % 2 === 0) return part.split(/(?<=&)(?=amp;)/).filter(Boolean);
    return [{ Standalone: { id: codes[(i - 1) / 2]!.id, equiv: attribute(part), disp: attribute(part), canDelete: 'no' } }];
  });
  return parts.length > 1 || typeof parts[0] === 'object' ? parts : (parts[0] ?? '');
}

/** XLIFF 2.0 for one file of texts; not indented, as indentation would put whitespace inside the texts. */
export async function writeXliff(doc: XliffDocument): Promise<string> {
  const units: Record<string, WrittenUnit> = {};
  for (const { id, source, target, note } of doc.units) {
    const codes = sourceCodes(source);
    const unit: WrittenUnit = { source: content(source, codes) };
    if (target !== undefined) unit.target = content(target, targetCodes(target, codes));
    // The library writes <notes> whenever the key is there, even undefined.
    if (note !== undefined) unit.note = note;
    units[id] = unit;
  }
  const xml = await js2xliff(
    { sourceLanguage: doc.sourceLanguage, targetLanguage: doc.targetLanguage, resources: { [attribute(doc.file)]: units } },
    { indent: '' },
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}

const NO_DTD = 'XLIFF files have no DTD: a file declaring a DOCTYPE or entities is refused (it could read files of the server or expand without end)';

/** Refuses, before anything parses it, a file too large or with a DTD (no entity is ever resolved). */
function refuseHostile(xml: string) {
  if (Buffer.byteLength(xml) > XLIFF_LIMIT) throw new XliffError(['the file is larger than 500 KB']);
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw new XliffError([NO_DTD]);
}

/**
 * Which <file> and target language a file says it holds, read without parsing it (to know what
 * to compare it with), once it is known not to be hostile; empty strings where it does not say.
 */
export function peekXliff(xml: string): { file: string; target: string } {
  refuseHostile(xml);
  return {
    file: /<file\b[^>]*\bid="([^"]{1,100})"/.exec(xml)?.[1] ?? '',
    target: /<xliff\b[^>]*\btrgLang="([^"]{1,20})"/.exec(xml)?.[1] ?? '',
  };
}

/** At most this many problems are listed: a hostile file could have a hundred thousand. */
const MOST = 100;

/**
 * The changed targets of an uploaded XLIFF 2.0 file, as Dalil markup, trimmed: only units whose
 * target differs from the current one. The file is hostile until checked: a DTD is refused before
 * anything parses it (no entity is ever resolved), codes are rebuilt from the current texts by id
 * (never from the file's equiv), and every problem is thrown at once as an XliffError. expected
 * names the export's languages and file, and gives each text as it is now.
 */
export async function readXliff(
  xml: string,
  expected: { sourceLanguage: string; targetLanguage: string; file: string; current: (id: string) => { source: string; target?: string } | undefined },
): Promise<Array<{ id: string; target: string }>> {
  refuseHostile(xml);
  const problems = new Set<string>();
  const changed: Array<{ id: string; target: string }> = [];
  try {
    // Line ends as XML reads them (its §2.11), which sax does not do: a file saved on Windows has CRLF.
    const { bare, ...doc } = await parse(xml.replace(/\r\n?/g, '\n'));
    const [source, target] = [doc.sourceLanguage ?? '', doc.targetLanguage ?? ''];
    if (source !== expected.sourceLanguage) problems.add(`the file's source language is "${source}", but this guide's is "${expected.sourceLanguage}"`);
    if (target !== expected.targetLanguage) problems.add(`the file's target language is "${target}", but "${expected.targetLanguage}" is expected`);
    // The library keeps the last of two <file> elements with one id: they are counted in the text.
    const count = bare.match(/<file[\s/>]/g)?.length ?? 0;
    const units = Object.hasOwn(doc.files, expected.file) ? doc.files[expected.file] : undefined;
    if (count !== 1) problems.add(`the file has ${count} <file> elements, but exactly one is expected, with id "${expected.file}"`);
    else if (!units) problems.add(`the file's <file> has id ${JSON.stringify(Object.keys(doc.files)[0] ?? '')}, but "${expected.file}" is expected`);
    else {
      for (const [id, tag] of foreignElements(bare)) problems.add(`unit ${named(id)}: ${foreign(tag)}`);
      for (const [id, unit] of Object.entries(units)) {
        // Elements other than units and groups: the library keeps them aside, and Dalil ignores them.
        if (Array.isArray(unit)) continue;
        const current = expected.current(id);
        const say = (problem: string) => problems.add(`unit ${named(id)}: ${problem}`);
        if (unit?.groupUnits !== undefined) say('groups are not accepted, units must be directly in the <file>');
        else if (!current) say('no such text in this guide');
        else {
          const target = checkUnit(unit, current, say);
          if (target !== undefined) changed.push({ id, target });
        }
      }
    }
  } catch (error) {
    // Whatever the library or a hostile text throws is a refusal too.
    if (error instanceof XliffError) throw error;
    throw new XliffError([`the file could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`]);
  }
  const list = [...problems];
  if (list.length > MOST) list.splice(MOST, Infinity, `… and ${list.length - MOST} problems more`);
  if (list.length) throw new XliffError(list);
  return changed;
}

/** The file parsed by the library, and its bare text; refused if it is not well-formed XML or not XLIFF 2.0. */
async function parse(xml: string) {
  let doc;
  try {
    doc = await xliff2js(xml);
  } catch (error) {
    const at = /^(.*)\nLine: (\d+)\nColumn: (\d+)/.exec(error instanceof Error ? error.message : '');
    if (at) throw new XliffError([`the file is not well-formed XML: ${at[1]} (line ${Number(at[2]) + 1}, column ${at[3]})`]);
    if (error instanceof RangeError) throw new XliffError(['the file could not be read: its elements are nested too deeply']);
    const root = /<([^\s/>!?]{1,40})/.exec(xml)?.[1];
    if (root === undefined) throw new XliffError(['the file is not XML: it has no element']);
    if (root !== 'xliff') throw new XliffError([`the file is not XLIFF: its root element is <${root}>, not <xliff>`]);
    throw new XliffError(['the file is not complete XLIFF 2.0: each <file> needs an id, each <segment> a <source>']);
  }
  // Comments, CDATA and processing instructions removed, the text's tags are the document's: only once
  // the file is well-formed, where each of those ends (else these lazy patterns could take quadratic time).
  const bare = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g, '');
  const version = doc.xliffVersion ?? /<xliff\b[^>]*?\sversion\s*=\s*["']([^"']{0,20})/.exec(bare)?.[1] ?? 'of no version';
  if (!doc.resources || version !== '2.0') throw new XliffError([`the file is XLIFF ${version}, but only XLIFF 2.0 is accepted`]);
  return { ...doc, files: doc.resources, bare };
}

/** A unit's id in a problem: quoted, and cut if a hostile file made it long. */
const named = (id: string) => JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id);

const foreign = (tag: string) => `only <ph/> inline codes are accepted, and it has a <${tag}> element`;

/** The new target of a unit, checked against the current texts (each problem said), or undefined when there is none or it is unchanged. */
function checkUnit(unit: ReadUnit | undefined, current: { source: string; target?: string }, say: (problem: string) => void) {
  const codes = sourceCodes(current.source);
  const table = new Map([...codes, ...targetCodes(current.target ?? '', codes)].map((code) => [code.id, code.text]));
  const source = rebuild(unit?.source ?? '', table);
  if (source.problems.length || source.text.trim() !== current.source.trim())
    return void say('the source text changed since the file was exported: export it again');
  if (unit?.target === undefined) return;
  const target = rebuild(unit.target, table);
  target.problems.forEach(say);
  const text = target.text.trim();
  // An empty target is a text not translated yet, not one to erase.
  if (text === '' || text === (current.target ?? '').trim()) return;
  const missing = codes.filter((code) => !target.ids.includes(code.id)).map((code) => `"${code.text}"`);
  if (missing.length) say(`inline codes of the source are missing from the target (**, links, {facts} must stay): ${missing.join(', ')}`);
  const twice = [...new Set(target.ids.filter((id, i) => target.ids.indexOf(id) !== i))].map((id) => `"${table.get(id)}"`);
  if (twice.length) say(`inline codes appear more than once in the target: ${twice.join(', ')}`);
  return target.problems.length || missing.length || twice.length ? undefined : text;
}

/** The library's names of the inline elements it reads, but <ph/>. */
const TAGS: Record<string, string> = { Span: 'pc', SpanStart: 'sc', SpanEnd: 'ec' };

/** A source or target as Dalil markup: each <ph/> replaced by the code of the current texts with its id. */
function rebuild(value: Read, table: Map<string, string>) {
  const out = { text: '', ids: [] as string[], problems: [] as string[] };
  const walk = (part: Read) => {
    if (typeof part === 'string') out.text += part;
    else if (Array.isArray(part)) part.forEach(walk);
    else {
      const [type, fields] = Object.entries(part)[0] ?? ['?', undefined];
      const id = type === 'Standalone' && typeof fields === 'object' && fields !== null && 'id' in fields ? fields.id : undefined;
      const code = typeof id === 'string' ? table.get(id) : undefined;
      if (type !== 'Standalone') out.problems.push(foreign(TAGS[type] ?? type));
      else if (typeof id !== 'string' || code === undefined) out.problems.push(`unknown inline code id ${JSON.stringify(id ?? '')}`);
      else {
        out.text += code;
        out.ids.push(id);
      }
    }
  };
  walk(value);
  return out;
}

/**
 * Elements other than <ph/> in each unit's source and target, with the unit's id as written, found
 * in the text: the library silently drops those it does not know
 * (<mrk>, <cp> …) with their words, so its result cannot tell.
 */
function foreignElements(bare: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const [, attributes, body] of bare.matchAll(/<unit\b((?:"[^"]*"|'[^']*'|[^>"'/])*)(?:\/>|>([\s\S]*?)<\/unit\s*>)/g)) {
    const id = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(attributes!)?.slice(1).join('') ?? '';
    for (const [, , inner] of (body ?? '').matchAll(/<(source|target)\b(?:"[^"]*"|'[^']*'|[^>"'/])*>([\s\S]*?)<\/\1\s*>/g))
      for (const [, tag] of inner!.matchAll(/<([^\s/>!?]{1,40})/g)) if (tag !== 'ph') found.push([id, tag!]);
  }
  return found;
}
