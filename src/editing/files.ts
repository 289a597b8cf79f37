import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadContent } from '../content/catalogue.js';
import { type ContentIssue, ContentError, flattenTexts, readYaml } from '../content/read.js';
import type { Registry } from '../languages.js';
import type { Change } from '../store/changes.js';
import { replaceText } from './yaml-text.js';

/** The file of a guide's texts in one language. */
export const textFile = (contentDir: string, guide: string, language: string) => join(contentDir, 'guides', guide, `${language}.yaml`);

/** A guide's texts in one language as written in its file (markup and all), in the file's order: the order of reading. */
export function fileTexts(contentDir: string, guide: string, language: string): Map<string, string> {
  const ignore = () => undefined;
  const tree = readYaml(textFile(contentDir, guide, language), '', ignore);
  return tree === undefined ? new Map<string, string>() : flattenTexts(tree, '', ignore);
}

/** The files a set of changes rewrites, by path, each with every change written into it; nothing is written to disk. */
export function changedFiles(contentDir: string, changes: readonly Change[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const c of changes) {
    const path = textFile(contentDir, c.guide, c.language);
    const source = files.get(path) ?? readFileSync(path, 'utf8');
    files.set(path, replaceText(source, c.text_id.split('.'), c.value));
  }
  return files;
}

/**
 * What the content check says of the content with these files replaced, as the server and
 * `npm run content:check` check it: the content is copied to a folder of its own, the files are
 * written there, and every guide is loaded. Issues name files as they are in the content folder.
 */
export function checkFiles(contentDir: string, registry: Registry, root: string, files: ReadonlyMap<string, string>): ContentIssue[] {
  const scratch = mkdtempSync(join(tmpdir(), 'dalil-check-'));
  const copy = join(scratch, 'content');
  try {
    cpSync(contentDir, copy, { recursive: true, filter: (p) => !p.split(/[\\/]/).includes('.git') });
    for (const [path, source] of files) writeFileSync(join(copy, relative(contentDir, path)), source);
    loadContent(copy, registry, scratch);
    return [];
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    // Named as the same check of the content folder names them.
    return error.issues.map((i) => ({ ...i, file: relative(root, join(contentDir, relative(copy, join(scratch, i.file)))) }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
