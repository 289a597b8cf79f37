import type { GuideFile } from './schema.js';

/** One screen of the help-desk mode: a run of a section's blocks (by index), or one numbered step (as on the guide page). */
export type Part = { section: number; blocks: number[] } | { section: number; step: number };

/**
 * The help-desk mode's screens, in the guide's reading order: in each section, the blocks between
 * its steps as one screen ("Before you begin" and its warning, what to do at the end) and each step
 * as a screen of its own.
 */
export function presentParts(sections: GuideFile['sections']): Part[] {
  const parts: Part[] = [];
  let step = 0;
  sections.forEach((s, section) => {
    let run: number[] = [];
    const close = () => {
      if (run.length) parts.push({ section, blocks: run });
      run = [];
    };
    s.blocks.forEach((b, i) => {
      if (b.type !== 'steps') return void run.push(i);
      close();
      for (let k = 0; k < b.steps.length; k++) parts.push({ section, step: (step += 1) });
    });
    close();
  });
  return parts;
}

/** The numbered step each text of a step belongs to (its own text, its branches', its sub-steps'), by text id. */
export function stepOfTexts(sections: GuideFile['sections']): Map<string, number> {
  const steps = new Map<string, number>();
  let n = 0;
  const ids = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(ids) : value && typeof value === 'object' ? Object.values(value).flatMap(ids) : [];
  for (const s of sections)
    for (const b of s.blocks) {
      if (b.type !== 'steps') continue;
      for (const step of b.steps) {
        n += 1;
        for (const id of ids(step)) if (id.includes('.')) steps.set(id, n);
      }
    }
  return steps;
}

/** A field of guide.yaml editors change besides its facts (guideFields). */
export interface GuideField {
  /** Where its value is in guide.yaml. */
  path: Array<string | number>;
  /** For a checklist item's status: the item's name, and the section it is in (for readers' "What changed"). */
  item?: { name: string; section: string };
}

/**
 * The fields of guide.yaml besides its facts that editors change (each with where and when it was
 * checked, but the first three): the day the guide was checked and the page it was checked
 * against, how often it is checked again, and each checklist item's status (`status.<block>.<key>`).
 */
export function guideFields(g: Pick<GuideFile, 'sections'>): Map<string, GuideField> {
  const fields = new Map<string, GuideField>([
    ['checked.date', { path: ['checked', 'date'] }],
    ['checked.url', { path: ['checked', 'url'] }],
    ['review.every', { path: ['review', 'every'] }],
  ]);
  g.sections.forEach((s, si) =>
    s.blocks.forEach((b, bi) => {
      if (b.type !== 'checklists') return;
      b.items.forEach((item, ii) =>
        fields.set(`status.${b.id}.${item.key}`, { path: ['sections', si, 'blocks', bi, 'items', ii, 'status'], item: { name: item.name, section: s.id } }),
      );
    }),
  );
  return fields;
}
