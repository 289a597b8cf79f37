import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentIssue } from '../content/read.js';
import type { Checked } from '../content/snapshot.js';
import type { Registry } from '../languages.js';
import { type Change, changeSet, getIntent, moveSet, setIntent, withPublishLock } from '../store/changes.js';
import type { Store } from '../store/db.js';
import { checkFiles, publishedNow, publishFiles } from './files.js';

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
  /** With the content as published, checked (the live state is made from it, not checked again). */
  | { kind: 'published'; revision: string | null; files: string[]; pushed: boolean | null; checked: Checked | undefined }
  | { kind: 'busy' }
  | { kind: 'not-approved' }
  /** Texts whose published form is no longer the one the change started from. */
  | { kind: 'conflict'; changes: Change[] }
  | { kind: 'invalid'; issues: ContentIssue[] }
  | { kind: 'failed'; message: string };

/** The changes whose published text moved since they were written. */
export function conflicts(contentDir: string, changes: readonly Change[]): Change[] {
  const now = publishedNow(contentDir, changes);
  return changes.filter((c) => now.get(c) !== c.base);
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

/** Where a file's new content waits until every file of the publish is written. */
const pending = (path: string) => `${path}.publishing`;

/** Commits the files (the author as author, the summary as message); the commit's id. */
async function commit(tree: string, paths: readonly string[], author: string, summary: string) {
  await git(tree, ['add', '--', ...paths]);
  // The committer: the work tree's own if it has one (name and e-mail), else Dalil.
  const [name, email] = await Promise.all(['user.name', 'user.email'].map((key) => git(tree, ['config', key]).catch(() => '')));
  const identity = name && email ? [] : ['-c', 'user.name=Dalil', '-c', 'user.email=dalil@dalil.invalid'];
  await git(tree, [...identity, 'commit', '--quiet', `--author=${author} <${author}@editors.dalil.invalid>`, '-m', summary, '--', ...paths]);
  return git(tree, ['rev-parse', 'HEAD']);
}

const markPublished = (store: Store, id: number, by: string, revision: string | null) =>
  moveSet(store, id, 'approved', { status: 'published', published_by: by, published_at: new Date().toISOString().slice(0, 19) + 'Z', revision });

/**
 * Publishes an approved change set, one publish at a time across the copies sharing the store:
 * the texts each change started from must still be the published ones; the files are written
 * through the YAML document (every other byte kept) and the whole content checked with them
 * before anything is written. Then, so that a crash at any moment leaves the old content or the
 * new, never a mix: every new file is written beside its file (name.publishing), the intent is
 * recorded in the store, the files are renamed over the old ones, and when the content folder is
 * in a git work tree they are committed with the author's name and the summary (and pushed to the
 * remote, when there is one). A process that stops after the intent is recorded is rolled forward
 * by `recoverPublish` at the next start or publish. A commit that fails puts the files back.
 */
export async function publish(deps: PublishDeps, id: number, by: string): Promise<Outcome> {
  const locked = await withPublishLock(deps.store, async (): Promise<Outcome> => {
    await recoverPublish(deps);
    const set = await changeSet(deps.store, id);
    if (set?.status !== 'approved') return { kind: 'not-approved' };
    const moved = conflicts(deps.contentDir, set.changes);
    if (moved.length) return { kind: 'conflict', changes: moved };
    const files = publishFiles(deps.contentDir, set.changes, {
      date: new Date().toISOString().slice(0, 10),
      summary: set.summary,
      language: set.summary_language,
      author: set.author,
    });
    const { issues, catalogue } = await checkFiles(deps.contentDir, deps.registry, deps.root, files);
    if (issues.length) return { kind: 'invalid', issues };
    // What was there before (undefined: a file the publish makes), to put back if the commit fails.
    const before = new Map([...files.keys()].map((path) => [path, existsSync(path) ? readFileSync(path, 'utf8') : undefined]));
    const paths = [...files.keys()];
    for (const [path, source] of files) writeFileSync(pending(path), source);
    await setIntent(deps.store, { set: id, by, author: set.author, summary: set.summary, files: paths });
    for (const path of paths) renameSync(pending(path), path);
    let revision: string | null = null;
    let pushed: boolean | null = null;
    const tree = await workTree(deps.contentDir);
    if (tree) {
      try {
        revision = await commit(tree, paths, set.author, set.summary);
      } catch (error) {
        for (const [path, source] of before) {
          if (source === undefined) rmSync(path, { force: true });
          else writeFileSync(path, source);
        }
        await git(tree, ['reset', '--quiet', '--', ...paths]).catch(() => undefined);
        await setIntent(deps.store, undefined);
        return { kind: 'failed', message: (error as Error).message };
      }
      if (deps.gitRemote)
        pushed = await git(tree, ['push', '--quiet', deps.gitRemote, 'HEAD']).then(
          () => true,
          () => false,
        );
    }
    await markPublished(deps.store, id, by, revision);
    await setIntent(deps.store, undefined);
    return { kind: 'published', revision, files: paths, pushed, checked: catalogue && { catalogue, registry: deps.registry } };
  });
  return locked?.value ?? { kind: 'busy' };
}

/**
 * Finishes a publish a stopped process left after recording its intent: the files still waiting
 * beside their names are renamed, committed if they are not yet, and the change set marked
 * published. Files waiting without an intent (the process stopped before it) are removed: the old
 * content stands. Returns the change set finished, if any.
 */
export async function recoverPublish(deps: Pick<PublishDeps, 'store' | 'contentDir'>): Promise<number | undefined> {
  const intent = await getIntent(deps.store);
  if (!intent) {
    for (const guide of readdirSync(join(deps.contentDir, 'guides'), { withFileTypes: true })) {
      if (!guide.isDirectory()) continue;
      const dir = join(deps.contentDir, 'guides', guide.name);
      for (const f of readdirSync(dir)) if (f.endsWith('.publishing')) rmSync(join(dir, f), { force: true });
    }
    return undefined;
  }
  for (const path of intent.files) if (existsSync(pending(path))) renameSync(pending(path), path);
  const tree = await workTree(deps.contentDir);
  let revision: string | null = null;
  if (tree) {
    const uncommitted = await git(tree, ['status', '--porcelain', '--', ...intent.files]);
    revision = uncommitted ? await commit(tree, intent.files, intent.author, intent.summary) : await git(tree, ['rev-parse', 'HEAD']);
  }
  await markPublished(deps.store, intent.set, intent.by, revision);
  await setIntent(deps.store, undefined);
  return intent.set;
}
