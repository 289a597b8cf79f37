import type { Part } from '../content/parts.js';
import { urls } from '../urls.js';
import { flatSteps, type guideView } from './guide.js';

type GuidePage = ReturnType<typeof guideView>;

/**
 * Screen n (from 1) of the help-desk mode: its section's title, and either one step or the blocks
 * of that part; `hash` is its place on the guide page, where the exit, the QR code and "send to a
 * phone" lead.
 */
export function presentScreen(page: GuidePage, parts: Part[], n: number) {
  const part = parts[n - 1]!;
  const section = page.sections[part.section]!;
  if ('step' in part) {
    const step = flatSteps(page)[part.step - 1]!;
    return { title: section.title, hash: urls.step(step.n), id: step.anchor, step, blocks: [] };
  }
  return { title: section.title, hash: urls.section(section.id), id: section.id, step: undefined, blocks: part.blocks.map((i) => section.blocks[i]!) };
}
