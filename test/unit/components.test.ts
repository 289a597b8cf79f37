import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConfigData, HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createViews } from '../../src/render/nunjucks.js';
import { ROOT } from '../helpers.js';

/**
 * Each component of views/components/<name>/ is a macro, its template and <name>.yaml: what it is,
 * its parameters (the template reads no other), and examples rendered here and checked for their
 * markup, their valid HTML, and escaping (every parameter of type string goes out escaped).
 */
interface Param {
  name: string;
  /** string: text shown to the reader (escaped); key: an identifier the content schema restricts (a class, an id, a tag). */
  type: 'string' | 'key' | 'html' | 'boolean' | 'number' | 'object' | 'array';
  required?: boolean;
  description: string;
  /** Fields of an object, or of each item of an array of objects. */
  params?: Param[];
  /** The type of each item of an array of plain values. */
  items?: 'string' | 'html';
}
interface Spec {
  description: string;
  /** The element the component must sit in, for a valid fragment (e.g. ul for a list item). */
  parent?: string;
  params: Param[];
  examples: Array<{ name: string; options: Record<string, unknown>; contains?: string[]; absent?: string[] }>;
}

const DIR = join(ROOT, 'views/components');
const components = readdirSync(DIR).sort();
const views = createViews(join(ROOT, 'views'), false);
const htmlValidate = new HtmlValidate(JSON.parse(readFileSync(join(ROOT, '.htmlvalidate.json'), 'utf8')) as ConfigData);

const spec = (name: string) => parse(readFileSync(join(DIR, name, `${name}.yaml`), 'utf8')) as Spec;
const macroName = (name: string) => /\{% macro (\w+)\(params\) %\}/.exec(readFileSync(join(DIR, name, 'macro.njk'), 'utf8'))![1]!;
const render = (name: string, options: Record<string, unknown>) =>
  views.renderString(`{% from "components/${name}/macro.njk" import ${macroName(name)} %}{{ ${macroName(name)}(options) }}`, { options });

/** The options with every value a string parameter declares replaced by markup that must come out escaped. */
function hostile(value: unknown, param: Param): unknown {
  if (param.type === 'string' && typeof value === 'string') return '<x-evil>&amp;';
  if (param.type === 'array' && Array.isArray(value)) {
    return (value as unknown[]).map((v) =>
      param.items === 'string' && typeof v === 'string' ? '<x-evil>' : param.params ? hostileObject(v, param.params) : v,
    );
  }
  if (param.type === 'object' && param.params && value && typeof value === 'object') return hostileObject(value, param.params);
  return value;
}
const hostileObject = (value: unknown, params: Param[]) =>
  value && typeof value === 'object'
    ? Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          params.find((p) => p.name === k)
            ? hostile(
                v,
                params.find((p) => p.name === k)!,
              )
            : v,
        ]),
      )
    : value;

describe.each(components)('component %s', (name) => {
  it('has its macro, its template and its parameters described', () => {
    for (const file of ['macro.njk', 'template.njk', `${name}.yaml`]) expect(existsSync(join(DIR, name, file)), file).toBe(true);
    const { description, params, examples } = spec(name);
    expect(description).toMatch(/\w/);
    expect(params.every((p) => p.description && p.type)).toBe(true);
    expect(examples.length).toBeGreaterThan(0);
  });

  it('reads exactly the parameters it describes', () => {
    const template = readFileSync(join(DIR, name, 'template.njk'), 'utf8');
    const read = new Set([...template.matchAll(/params\.(\w+)/g)].map((m) => m[1]!));
    expect([...read].sort()).toEqual(
      spec(name)
        .params.map((p) => p.name)
        .sort(),
    );
  });

  it('renders each example as described, as valid HTML, and escapes every text parameter', async () => {
    const { params, examples, parent } = spec(name);
    for (const example of examples) {
      for (const key of Object.keys(example.options))
        expect(
          params.map((p) => p.name),
          `${example.name}: ${key}`,
        ).toContain(key);
      const html = render(name, example.options);
      for (const s of example.contains ?? []) expect(html, example.name).toContain(s);
      for (const s of example.absent ?? []) expect(html, example.name).not.toContain(s);
      const page = `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>${parent ? `<${parent}>${html}</${parent}>` : html}</main></body></html>`;
      const report = await htmlValidate.validateString(page);
      expect(
        report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)),
        example.name,
      ).toEqual([]);
      const attacked = render(name, hostileObject(example.options, params) as Record<string, unknown>);
      expect(attacked, example.name).not.toContain('<x-evil>');
    }
  });
});
