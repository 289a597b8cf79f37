import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

/**
 * The layers of src/, top to bottom: a module imports only from layers below its own, or from its
 * own folder. Entry points at the top; the language registry, strings, config and URLs at the bottom.
 * (docs/architecture.md describes them.)
 */
const LAYERS: Array<[number, string[]]> = [
  [0, ['server.ts', 'build.ts', 'export.ts', 'edition-worker.ts', 'content-check.ts', 'content-stamp.ts', 'editor-cli.ts', 'xliff-cli.ts', 'db-prune.ts']],
  [1, ['edition.ts']],
  [2, ['handler.ts']],
  [3, ['preview.ts']],
  [4, ['app.ts']],
  [5, ['site.ts']],
  [6, ['routes/']],
  [7, ['http/', 'editing/']],
  [8, ['view-models/']],
  [9, ['cache/', 'store/']],
  [10, ['content/', 'tools/']],
  [11, ['render/']],
  [12, ['release.ts', 'urls.ts', 'i18n.ts', 'express.d.ts']],
  [13, ['languages.ts', 'config.ts', 'types/']],
];

const SRC = join(ROOT, 'src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

function layerOf(file: string): number {
  const path = relative(SRC, file);
  const found = LAYERS.find(([, prefixes]) => prefixes.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p)));
  if (!found) throw new Error(`src/${path} is in no layer: add it to the table in test/unit/layers.test.ts and the README`);
  return found[0];
}

/** Each module's imports of other modules of src/ (type-only imports included: they tie the layers too). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gms)].map((m) => resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
}

const graph = new Map(files(SRC).map((f) => [f, imports(f)]));

describe('layers of src/', () => {
  it('every module is in a layer, and imports only from layers below or from its own folder', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const sameFolder = dirname(dep) === dirname(file) && dirname(file) !== SRC;
        if (!sameFolder && layerOf(dep) <= layerOf(file)) wrong.push(`${relative(SRC, file)} → ${relative(SRC, dep)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') return void cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('keeps render/ free of Express and of http/, and tools/ free of everything but itself', () => {
    for (const [file, deps] of graph) {
      const path = relative(SRC, file);
      const text = readFileSync(file, 'utf8');
      if (path.startsWith('render/')) expect(text, path).not.toMatch(/from '(express|node:http)'/);
      if (path.startsWith('tools/'))
        expect(
          deps.every((d) => dirname(d) === dirname(file)),
          path,
        ).toBe(true);
    }
  });

  it('keeps every source file under 300 lines', () => {
    const long = [...graph.keys()].map((f) => [relative(SRC, f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });
});
