import type { Language } from '../languages.js';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as the reader's language writes it (Gregorian, Western digits, as the registry's Intl tag says). */
export function formatDate(isoDate: string, language: Language): string {
  let format = dateFormats.get(language.intl);
  if (!format) {
    format = new Intl.DateTimeFormat(language.intl, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(language.intl, format);
  }
  return format.format(new Date(`${isoDate}T00:00:00Z`));
}
