import { isScalar, parseDocument, stringify } from 'yaml';

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
  const written = writeScalar(value, keyIndent + 2, start - lineStart, source.slice(start, end).endsWith('\n'));
  const result = source.slice(0, start) + written + source.slice(end);
  const check = parseDocument(result);
  if (check.errors.length || check.getIn(path) !== value) throw new Error(`${path.join('.')}: the text could not be written back as YAML`);
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
