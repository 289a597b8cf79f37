import type { TFunction } from 'i18next';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A translated UI string whose placeholders are HTML fragments (already safe), the rest escaped:
 * "Checked against {{source}} on {{date}}" with a linked source.
 */
export function tHtml(t: TFunction, key: string, html: Record<string, string>, text: Record<string, string> = {}): string {
  const names = Object.keys(html);
  const markers = Object.fromEntries(names.map((n, i) => [n, `\u{E000}${i}\u{E001}`]));
  const escaped = escapeHtml(t(key, { ...text, ...markers }));
  return escaped.replace(/\u{E000}(\d+)\u{E001}/gu, (_, i: string) => html[names[Number(i)]!]!);
}

/** An address as people write it: no scheme, no trailing slash. */
export const displayUrl = (href: string) => href.replace(/^https?:\/\//, '').replace(/\/$/, '');

/**
 * An address written out, escaped, with a break point after each dot and slash and before its
 * query: a long one wraps between its parts ("impots.gouv.fr/ | particulier"), never inside a word
 * ("gouv.f | r"). (A hyphen is a break point of its own.)
 */
export const breakableUrl = (text: string) =>
  escapeHtml(text)
    .replace(/([./])/g, '$1<wbr>')
    .replace(/\?/g, '<wbr>?');
