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
 * A source's address as a reader can take it in: a long one keeps its host, its first two
 * folders and its last part (github.com/france-connect/sources/…/page.tsx); the link is whole.
 */
export function sourceText(href: string): string {
  const text = displayUrl(href);
  const [host, ...path] = text.split('/');
  return text.length <= 48 || path.length <= 3 ? text : [host, path[0], path[1], '…', path.at(-1)].join('/');
}

/**
 * An address written out, escaped, with a break point after each dot and slash and before its
 * query: a long one wraps between its parts ("impots.gouv.fr/ | particulier"), never inside a word
 * ("gouv.f | r"). (A hyphen is a break point of its own.)
 */
export const breakableUrl = (text: string) =>
  escapeHtml(text)
    .replace(/([./])/g, '$1<wbr>')
    .replace(/\?/g, '<wbr>?');
