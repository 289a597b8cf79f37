import { isMap, isScalar, parseDocument, Scalar, stringify } from 'yaml';
import { guideFields } from '../content/parts.js';
import type { GuideFile } from '../content/schema.js';

/** Lines of a folded text are wrapped before this column, as the content files are. */
const WIDTH = 100;

/**
 * A YAML source with one text replaced, every other byte as it was: the text's node is found
 * through the yaml package's document (its source range), and only that range is written again.
 * A short text is written on its line (plain, or quoted where YAML needs it); a long one as a
 * folded block (">-") wrapped at spaces; one that a folded block cannot hold as it is (a line
 * break, two spaces in a row) double-quoted. Throws if the path is not a text of the file.
 */
export function replaceText(source: string, path: readonly string[], value: string): string {
  const doc = parseDocument(source);
  const node = doc.getIn(path, true);
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) throw new Error(`${path.join('.')} is not a text of this file`);
  const [start, end] = node.range;
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const keyIndent = /^ */.exec(source.slice(lineStart))![0].length;
  const newline = source.slice(start, end).endsWith('\n') ? '\n' : '';
  // A quoted text stays quoted as it was (inside a flow map, { … }, a plain one could break it).
  const written =
    node.type === Scalar.QUOTE_DOUBLE || (node.type === Scalar.QUOTE_SINGLE && /[\n\r]/.test(value))
      ? JSON.stringify(value) + newline
      : node.type === Scalar.QUOTE_SINGLE
        ? `'${value.replace(/'/g, "''")}'${newline}`
        : writeScalar(value, keyIndent + 2, start - lineStart, newline === '\n');
  const result = source.slice(0, start) + written + source.slice(end);
  const check = parseDocument(result);
  if (check.errors.length || check.getIn(path) !== value) throw new Error(`${path.join('.')}: the text could not be written back as YAML`);
  return result;
}

/**
 * A YAML source with a text set: replaced where the file has it (replaceText), or added where it
 * does not yet (a draft language's missing text) at the end of the deepest map of its path that the
 * file has, the maps it lacks made on the way; every other byte as it was.
 */
export function setText(source: string, path: readonly string[], value: string): string {
  const doc = parseDocument(source);
  if (doc.hasIn(path)) return replaceText(source, path, value);
  let depth = path.length - 1;
  while (depth > 0 && !isMap(doc.getIn(path.slice(0, depth), true))) depth--;
  const map = depth ? doc.getIn(path.slice(0, depth), true) : doc.contents;
  let at = source.length;
  let indent = 0;
  if (isMap(map) && map.range && !map.flow) {
    const [start, end] = map.range;
    indent = start - (source.lastIndexOf('\n', start - 1) + 1);
    at = source[end - 1] === '\n' ? end : source.indexOf('\n', end - 1) + 1 || source.length;
  } else if (map !== null) throw new Error(`${path.join('.')}: ${path.slice(0, depth).join('.') || 'the file'} is not a map of texts`);
  const rest = path.slice(depth);
  const lines = rest.map((key, i) => {
    const pad = ' '.repeat(indent + 2 * i);
    return i < rest.length - 1 ? `${pad}${key}:\n` : `${pad}${key}: ${writeScalar(value, pad.length + 2, pad.length + key.length + 2, true)}`;
  });
  const before = source.slice(0, at);
  const result = `${before}${before && !before.endsWith('\n') ? '\n' : ''}${lines.join('')}${source.slice(at)}`;
  const check = parseDocument(result);
  if (check.errors.length || check.getIn(path) !== value) throw new Error(`${path.join('.')}: the text could not be written as YAML`);
  return result;
}

function writeScalar(value: string, indent: number, column: number, endsWithNewline: boolean): string {
  const line = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  const foldable = !/[\n\r\t]| {2}/.test(value) && value === value.trim() && value !== '';
  if (!line.includes('\n') && (column + line.length <= WIDTH || !foldable)) return line + (endsWithNewline ? '\n' : '');
  if (!foldable) return JSON.stringify(value) + (endsWithNewline ? '\n' : '');
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let current = '';
  for (const word of value.split(' ')) {
    if (current && indent + current.length + 1 + word.length > WIDTH) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  lines.push(current);
  return `>-\n${lines.map((l) => pad + l).join('\n')}${endsWithNewline ? '\n' : ''}`;
}

/**
 * A fact of guide.yaml with a new value, and where and when it was checked: its value written in
 * place, its source and date written in place or added to its map (a flow map { … } on its line, or
 * a line of a block map), every other byte as it was.
 */
export function setFact(source: string, id: string, fields: { value: string; source?: string; date?: string }): string {
  return setChecked(source, ['facts', id], 'value', fields);
}

/**
 * A field of guide.yaml that editors change (editing/files.ts fileTexts with no language) set to a
 * new value, with where and when it was checked where it needs it: a fact (`facts.<id>`), the
 * guide's `checked.date`, `checked.url` or `review.every`, or a checklist item's status
 * (`status.<block>.<key>`, with its date and source); every other byte as it was.
 */
export function setGuideField(source: string, id: string, fields: { value: string; source?: string; date?: string }): string {
  if (id.startsWith('facts.')) return setFact(source, id.slice('facts.'.length), fields);
  const sections = (parseDocument(source).toJS() as Partial<Pick<GuideFile, 'sections'>> | null)?.sections ?? [];
  const field = guideFields({ sections }).get(id);
  if (!field) throw new Error(`${id} is not an item or field of this guide`);
  const path = field.path.map(String);
  return field.item ? setChecked(source, path.slice(0, -1), path.at(-1)!, fields) : setKey(source, path, fields.value);
}

/** A map's value and where and when it was checked (its `source` and `date`), each replaced or added. */
function setChecked(source: string, map: readonly string[], key: string, fields: { value: string; source?: string; date?: string }): string {
  let out = setKey(source, [...map, key], fields.value);
  for (const name of ['source', 'date'] as const) {
    const value = fields[name];
    if (value !== undefined) out = setKey(out, [...map, name], value);
  }
  return out;
}

/** A scalar of a map replaced where the map has it, else added to the map. */
function setKey(source: string, path: readonly string[], value: string): string {
  return parseDocument(source).hasIn(path) ? replaceText(source, path, value) : addKey(source, path.slice(0, -1), path.at(-1)!, value);
}

function addKey(source: string, path: readonly string[], key: string, value: string): string {
  const map = parseDocument(source).getIn(path, true);
  if (!isMap(map) || !map.range) throw new Error(`${path.join('.')} is not a map of this file`);
  const [start, end] = map.range;
  let result: string;
  if (map.flow) {
    const close = source.lastIndexOf('}', end);
    const at = source[close - 1] === ' ' ? close - 1 : close;
    result = `${source.slice(0, at)}, ${key}: ${JSON.stringify(value)}${source.slice(at)}`;
  } else {
    const lineStart = source.lastIndexOf('\n', start - 1) + 1;
    const indent = ' '.repeat(start - lineStart);
    const at = source[end - 1] === '\n' ? end : source.indexOf('\n', end - 1) + 1 || source.length;
    result = `${source.slice(0, at)}${indent}${key}: ${JSON.stringify(value)}\n${source.slice(at)}`;
  }
  if (parseDocument(result).getIn([...path, key]) !== value) throw new Error(`${path.join('.')}.${key} could not be written as YAML`);
  return result;
}

/**
 * translations.yaml with texts' own records set (`language.texts.<id>`, each a map on its line),
 * every other line as it was (the file is written by tools: the yaml package writes it back as it
 * reads it). Throws if a language has no entry.
 */
export function setTextRecords(source: string, records: ReadonlyArray<[language: string, id: string, record: object]>): string {
  const doc = parseDocument(source);
  for (const [language, id, record] of records) {
    if (!isMap(doc.get(language, true))) throw new Error(`translations.yaml has no entry for ${language}`);
    const node = doc.createNode(record);
    node.flow = true;
    doc.setIn([language, 'texts', id], node);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
