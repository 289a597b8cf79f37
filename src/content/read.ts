import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';

export interface ContentIssue {
  file: string;
  path: string;
  message: string;
}

export class ContentError extends Error {
  constructor(readonly issues: ContentIssue[]) {
    super(`The content is broken:\n${issues.map(formatIssue).join('\n')}`);
  }
}

export const formatIssue = (i: ContentIssue) => `  ${i.file}: ${i.path || '(whole file)'}: ${i.message}`;

/** Where a check reports a problem: the file, the path inside it, and what is wrong. */
export type Report = (file: string, path: string, message: string) => void;

/** A YAML file as data, or undefined (and its syntax errors reported, with line and column). */
export function readYaml(path: string, file: string, report: Report): unknown {
  if (!existsSync(path)) return void report(file, '', 'file not found');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const at = e.linePos?.[0];
      report(file, at ? `line ${at.line}, column ${at.col}` : '', `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    return undefined;
  }
  return doc.toJS();
}

/** A <locale>.yaml's nested maps of texts, as dotted id → text. */
export function flattenTexts(
  tree: unknown,
  prefix: string,
  report: (path: string, message: string) => void,
  out = new Map<string, string>(),
): Map<string, string> {
  if (tree === null && !prefix) return out;
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    report(prefix, 'must be a map of texts');
    return out;
  }
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string' && v.trim()) out.set(key, v.trim());
    else if (v === null || typeof v === 'string') report(key, 'is empty');
    else if (typeof v === 'object' && !Array.isArray(v)) flattenTexts(v, key, report, out);
    else report(key, 'must be a text (quote numbers and yes/no words) or a group of texts');
  }
  return out;
}

/** A zod issue's path as the content check prints it: sections[2].blocks[0].type */
export function zodPath(path: z.core.$ZodIssue['path']): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}
