import type { TFunction } from 'i18next';
import type { Guide } from '../content/catalogue.js';
import type { Language } from '../languages.js';
import { formatDate } from '../render/dates.js';
import { escapeHtml, tHtml } from '../render/html.js';

/**
 * Where the text of a guide's page in this language came from, as translations.yaml records it
 * (written from the printed leaflet, translated with or without machine assistance, or checked by
 * a named person), in the reader's language, with languages named in it, and a link to the same
 * page in the reference language (`referenceHref`), or, on the page itself (not on a home `card`),
 * the words that this page is the reference.
 */
export function provenanceLine(guide: Guide, language: Language, t: TFunction, referenceHref: string, { card = false } = {}) {
  const p = guide.provenance.get(language.id);
  if (!p) return undefined;
  const name = (id: string) => t(`languageNames.${id}`);
  const names = p.from.length ? p.from.map(name).reduce((first, second) => t('provenance.pair', { first, second })) : '';
  const r = guide.reference;
  let origin: string;
  if (p.status === 'reviewed') {
    const by = `<bdi>${escapeHtml(p.by!)}</bdi>`;
    const date = formatDate(p.date!, language, guide.country);
    origin = p.changed.length
      ? tHtml(t, 'provenance.reviewedChanged', { by }, { date, reference: name(r.id) })
      : tHtml(t, 'provenance.reviewed', { by }, { date });
  } else if (p.status === 'leaflet') {
    origin = escapeHtml(t(p.screens ? 'provenance.leafletScreens' : 'provenance.leaflet', { languages: names, screens: name(guide.siteLanguage.id) }));
  } else {
    origin = escapeHtml(t(p.machineAssisted ? 'provenance.machineAssisted' : 'provenance.translated', { languages: names }));
  }
  const isReference = language.id === r.id;
  // A home card says where the text came from; only the page itself says it is the reference.
  const reference = isReference
    ? card
      ? ''
      : escapeHtml(t('provenance.isReference'))
    : tHtml(t, 'provenance.reference', { reference: `<a href="${escapeHtml(referenceHref)}" hreflang="${r.lang}">${escapeHtml(name(r.id))}</a>` });
  return { status: p.status, machineAssisted: p.machineAssisted, reference: isReference, html: reference ? `${origin} ${reference}` : origin };
}

export type ProvenanceLine = NonNullable<ReturnType<typeof provenanceLine>>;
