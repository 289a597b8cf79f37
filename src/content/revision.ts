import type { Language } from '../languages.js';
import type { Guide } from './catalogue.js';
import { textHash } from './translations.js';

const revisions = new WeakMap<Guide, Map<string, string>>();

/**
 * A short hash of what a guide's page in a language is made of (its texts, the reference's, its
 * facts, structure, provenance and the history it shows): a publish that changes the page is a new revision. An
 * offline copy compares its own with the published one's (the language's offline.json).
 */
export function guideRevision(guide: Guide, language: Language): string {
  let mine = revisions.get(guide);
  if (!mine) revisions.set(guide, (mine = new Map<string, string>()));
  let revision = mine.get(language.id);
  if (revision === undefined) {
    const texts = (id: string) => [...(guide.texts.get(id) ?? [])];
    // The history the page shows or dates its outdated texts by (not another language's, a draft's).
    const history = guide.history.filter((h) => h.languages.includes(language.id) || h.languages.includes(guide.reference.id) || h.facts.length > 0);
    revision = textHash(
      JSON.stringify([guide.facts, guide.sections, guide.screens, guide.help, guide.checkedDate, history, guide.provenance.get(language.id), texts(language.id), texts(guide.reference.id)]),
    );
    mine.set(language.id, revision);
  }
  return revision;
}
