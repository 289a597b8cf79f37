import { describe, expect, it } from 'vitest';
import { presentParts } from '../../src/content/parts.js';
import type { GuideFile } from '../../src/content/schema.js';

type Sections = GuideFile['sections'];
/** A section from a short description: "t" a block of text, "c" a callout, a number a steps block of that many steps. */
const section = (id: string, ...blocks: Array<'t' | 'c' | number>) => ({
  id,
  blocks: blocks.map((b, i) =>
    typeof b === 'number'
      ? { type: 'steps', steps: Array.from({ length: b }, (_, k) => ({ id: `${id}.s${k}`, substeps: [], screens: [], branches: [] })) }
      : b === 'c'
        ? { type: 'callout', id: `${id}.b${i}`, tone: 'warning' }
        : { type: 'text', id: `${id}.b${i}` },
  ),
});

describe('the help-desk mode’s screens', () => {
  it.each<[string, unknown[], ReturnType<typeof presentParts>]>([
    [
      'before you begin and its warning, then each step, then what to do at the end',
      [section('before', 't', 'c'), section('steps', 3), section('help', 't')],
      [
        { section: 0, blocks: [0, 1] },
        { section: 1, step: 1 },
        { section: 1, step: 2 },
        { section: 1, step: 3 },
        { section: 2, blocks: [0] },
      ],
    ],
    [
      'the blocks before, between and after the steps of a section, in their order; steps numbered across sections',
      [section('a', 2), section('b', 'c', 1, 't', 't', 1, 'c')],
      [
        { section: 0, step: 1 },
        { section: 0, step: 2 },
        { section: 1, blocks: [0] },
        { section: 1, step: 3 },
        { section: 1, blocks: [2, 3] },
        { section: 1, step: 4 },
        { section: 1, blocks: [5] },
      ],
    ],
    [
      'a guide with no step: a screen per section',
      [section('a', 't'), section('b', 't', 'c')],
      [
        { section: 0, blocks: [0] },
        { section: 1, blocks: [0, 1] },
      ],
    ],
  ])('%s', (_, sections, parts) => {
    expect(presentParts(sections as Sections)).toEqual(parts);
  });
});
