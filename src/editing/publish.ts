import { execFile } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { ContentIssue } from '../content/read.js';
import type { Registry } from '../languages.js';
import { type Change, changeSet, moveSet, withPublishLock } from '../store/changes.js';
import type { Store } from '../store/db.js';
import { changedFiles, checkFiles, fileTexts, historyFiles } from './files.js';

export interface PublishDeps {
  store: Store;
  registry: Registry;
  /** The project's root (file names in the content check's issues are relative to it). */
  root: string;
  /** The content folder (absolute): the files published are written there. */
  contentDir: string;
  /** A git remote to push the commit to. */
  gitRemote: string | undefined;
}

export type Outcome =
  | { kind: 'published'; revision: string | null; files: string[]; pushed: boolean | null }
  | { kind: 'busy' }
  | { kind: 'not-approved' }
  /** Texts whose published form is no longer the one the change started from. */
  | { kind: 'conflict'; changes: Change[] }
  | { kind: 'invalid'; issues: ContentIssue[] }
  | { kind: 'failed'; message: string };

/** The published text of each change now, and the changes whose published text moved since they were written. */
export function conflicts(contentDir: string, changes: readonly Change[]): Change[] {
  return changes.filter((c) => fileTexts(contentDir, c.guide, c.language).get(c.text_id) !== c.base);
}

const git = (cwd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile('git', args, { cwd, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`git ${args.find((a) => !a.startsWith('-'))}: ${(stderr || error.message).trim()}`)) : resolve(stdout.trim()),
    ),
  );

/** The git work tree the content folder is in, or undefined. */
async function workTree(dir: string) {
  try {
    return await git(dir, ['rev-parse', '--show-toplevel']);
  } catch {
    return undefined;
  }
}

/**
 * Publishes an approved change set, one publish at a time across the copies sharing the store:
 * the texts each change started from must still be the published ones; the files are written
 * through the YAML document (every other byte kept) and the whole content checked with them
 * before anything is written; each file is written to a temporary name and renamed; when the
 * content folder is in a git work tree, the files are committed with the author's name and the
 * summary (and pushed to the remote, when there is one). A commit that fails puts the files back.
 */
export async function publish(deps: PublishDeps, id: number, by: string): Promise<Outcome> {
  const locked = await withPublishLock(deps.store, async (): Promise<Outcome> => {
    const set = await changeSet(deps.store, id);
    if (set?.status !== 'approved') return { kind: 'not-approved' };
    const moved = conflicts(deps.contentDir, set.changes);
    if (moved.length) return { kind: 'conflict', changes: moved };
    const files = changedFiles(deps.contentDir, set.changes);
    const today = new Date().toISOString().slice(0, 10);
    for (const [path, source] of historyFiles(deps.contentDir, set.changes, { date: today, summary: set.summary, language: set.summary_language }))
      files.set(path, source);
    const issues = checkFiles(deps.contentDir, deps.registry, deps.root, files);
    if (issues.length) return { kind: 'invalid', issues };
    // What was there before (undefined: a file the publish makes), to put back if the commit fails.
    const before = new Map([...files.keys()].map((path) => [path, existsSync(path) ? readFileSync(path, 'utf8') : undefined]));
    const write = (sources: ReadonlyMap<string, string | undefined>) => {
      for (const [path, source] of sources) {
        if (source === undefined) {
          rmSync(path, { force: true });
          continue;
        }
        const temporary = `${path}.${process.pid}.publishing`;
        writeFileSync(temporary, source);
        renameSync(temporary, path);
      }
    };
    write(files);
    let revision: string | null = null;
    let pushed: boolean | null = null;
    const tree = await workTree(deps.contentDir);
    if (tree) {
      try {
        const paths = [...files.keys()];
        await git(tree, ['add', '--', ...paths]);
        const named = await git(tree, ['config', 'user.name']).catch(() => '');
        const identity = named ? [] : ['-c', 'user.name=Dalil', '-c', 'user.email=dalil@dalil.invalid'];
        await git(tree, [...identity, 'commit', '--quiet', `--author=${set.author} <${set.author}@editors.dalil.invalid>`, '-m', set.summary, '--', ...paths]);
        revision = await git(tree, ['rev-parse', 'HEAD']);
      } catch (error) {
        write(before);
        await git(tree, ['reset', '--quiet', '--', ...files.keys()]).catch(() => undefined);
        return { kind: 'failed', message: (error as Error).message };
      }
      if (deps.gitRemote)
        pushed = await git(tree, ['push', '--quiet', deps.gitRemote, 'HEAD']).then(
          () => true,
          () => false,
        );
    }
    await moveSet(deps.store, id, 'approved', {
      status: 'published',
      published_by: by,
      published_at: new Date().toISOString().slice(0, 19) + 'Z',
      revision,
    });
    return { kind: 'published', revision, files: [...files.keys()], pushed };
  });
  return locked?.value ?? { kind: 'busy' };
}
