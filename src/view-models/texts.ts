import type { Guide } from '../content/catalogue.js';
import type { Inline } from '../content/markup.js';
import type { Language, Registry } from '../languages.js';
import { type InlineContext, renderInline } from './markup.js';

/** Plain text of a parsed text, for <title> and attributes. */
export function plainText(nodes: Inline[], guide: Guide): string {
  return nodes
    .map((n) => {
      if (n.t === 'text' || n.t === 'term') return n.v;
      if (n.t === 'fact') return guide.facts[n.id]!.value;
      return plainText(n.children, guide);
    })
    .join('');
}

/** A guide's texts in one language: as safe HTML, or as plain text for titles and attributes. */
export function guideTexts(guide: Guide, language: Language, registry: Registry) {
  const ctx: InlineContext = { language, siteLanguage: guide.siteLanguage, facts: guide.facts, registry };
  const texts = guide.texts.get(language.id)!;
  return {
    html: (id: string) => renderInline(texts.get(id)!, ctx),
    plain: (id: string) => plainText(texts.get(id)!, guide),
  };
}
