import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The server's own code: dist/ when it runs built, src/ under the tests. */
const CODE_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * The release's version: a hash of everything a page is made of (content, UI strings, templates,
 * assets), of the server's code and of the dependencies' versions (the lockfile). The service
 * worker's store is named after it, so any new release, code-only ones too, replaces the old store.
 */
export function releaseVersion(root: string, salt = '', code = CODE_DIR, content = join(root, 'content')): string {
  const hash = createHash('sha1').update(salt);
  const add = (path: string, name: string) => hash.update(name).update(readFileSync(path));
  const walk = (dir: string, base: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, base);
      else if (!entry.name.endsWith('.map')) add(path, relative(base, path));
    }
  };
  walk(content, content);
  for (const dir of ['locales', 'views', 'public']) walk(join(root, dir), root);
  walk(code, code);
  const lock = ['package-lock.json', 'package.json'].map((f) => join(root, f)).find((f) => existsSync(f));
  if (lock) add(lock, 'lockfile');
  return hash.digest('hex').slice(0, 12);
}
