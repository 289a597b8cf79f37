import type { TFunction } from 'i18next';
import type { Guide } from '../content/catalogue.js';
import type { Language } from '../languages.js';
import { formatDate } from '../render/dates.js';
import { displayUrl, escapeHtml, sourceText, tHtml } from '../render/html.js';

/**
 * "What you can do now", for a reader stuck on a guide's procedure: its official help (a link, a
 * number to call as a tel: link), and where a person can help nearby (an official finder, with the
 * dated page that says it is one). Undefined for a guide that declares none.
 */
export function helpView(guide: Guide, language: Language, t: TFunction) {
  const help = guide.help;
  if (!help) return undefined;
  const link = (href: string) => `<a class="url" href="${escapeHtml(href)}" dir="ltr">${escapeHtml(displayUrl(href))}</a>`;
  const fact = help.phone ? guide.facts[help.phone] : undefined;
  const phone =
    fact?.kind === 'phone'
      ? `<a class="phone" href="tel:${escapeHtml(fact.value.replace(/ /g, ''))}" dir="ltr">${escapeHtml(fact.value).replace(/ /g, '\u00a0')}</a>`
      : undefined;
  return {
    title: t('feedback.now.title'),
    lines: [
      tHtml(t, 'feedback.now.site', { site: link(help.site) }),
      ...(phone ? [tHtml(t, 'feedback.now.phone', { phone })] : []),
      ...(help.places ? [tHtml(t, 'feedback.now.places', { places: link(help.places.url) })] : []),
    ],
    places: help.places && {
      href: help.places.url,
      date: formatDate(help.places.date, language, guide.country),
      source: { href: help.places.source, text: sourceText(help.places.source) },
    },
  };
}

export type HelpView = NonNullable<ReturnType<typeof helpView>>;
