import type { Language } from '../languages.js';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A date as the reader's language writes it in the guide's country (Gregorian, Western digits, as
 * the registry's Intl tags say): Arabic on a Moroccan guide names its months as Morocco does.
 */
export function formatDate(isoDate: string, language: Language, country?: string): string {
  const tag = (country && language.intlByCountry[country]) || language.intl;
  let format = dateFormats.get(tag);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(tag, format);
  }
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (!language.datePattern) return format.format(date);
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return language.datePattern.replace(/\{(day|month|year)\}/g, (_, part: string) => parts[part] ?? '');
}
