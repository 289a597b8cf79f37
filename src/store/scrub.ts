/**
 * What a reader types is scrubbed before it is stored: e-mail addresses, phone numbers and long
 * runs of digits (a social security or account number), in any script's digits, become a marker.
 * Nothing that identifies a person is kept, even when the reader was told not to type it.
 */
export const REMOVED = '[…]';

const EMAIL = /[\p{L}\p{N}._%+-]+\s*@\s*[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** A phone number: optional +, then digits with spaces, dots, dashes or brackets, at least 8 digits in all. */
const PHONE = /\+?\(?\p{Nd}(?:[\s.()\u00a0-]*\p{Nd}){7,}/gu;
/** Any run of 6 digits or more, even split by single spaces (a number, a code, an account). */
const DIGITS = /\p{Nd}(?:[\s\u00a0]?\p{Nd}){5,}/gu;

export function scrub(comment: string): string {
  return comment.normalize('NFC').replace(EMAIL, REMOVED).replace(PHONE, REMOVED).replace(DIGITS, REMOVED).trim();
}
