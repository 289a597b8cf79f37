/**
 * Every path the app serves or links to, in one place: routes, view models, the offline list, the
 * pages known at start and the tests build their addresses here, never by hand.
 */

/** A language as far as addresses go: its id is the first segment of every localized path. */
interface Lang {
  id: string;
}

const q = (other: Lang | undefined) => (other ? `?with=${other.id}` : '');

export const urls = {
  /** The language picker. */
  picker: '/',
  home: (l: Lang) => `/${l.id}/`,
  /** A guide; `other` shows each block beside that language (?with=). */
  guide: (l: Lang, slug: string, other?: Lang) => `/${l.id}/guides/${slug}${q(other)}`,
  /** The A4 handout of a guide. */
  print: (l: Lang, slug: string, other?: Lang) => `/${l.id}/guides/${slug}/print${q(other)}`,
  /** Help-desk mode: step n of a guide on a screen of its own. */
  present: (l: Lang, slug: string, n: number, other?: Lang) => `/${l.id}/guides/${slug}/present/${n}${q(other)}`,
  /** A tool; `search` is its answers, already a canonical query string ("?a=1&b=2") or "". */
  tool: (l: Lang, id: string, search = '') => `/${l.id}/tools/${id}${search}`,
  offline: (l: Lang) => `/${l.id}/offline`,
  offlineList: (l: Lang) => `/${l.id}/offline.json`,
  manifest: (l: Lang) => `/${l.id}/manifest.webmanifest`,
  worker: '/sw.js',
  icon: '/assets/img/icon.svg',
  /** Static files under public/, by their path there. */
  asset: (file: string) => `/assets/${file}`,
  /** The anchor of a numbered step, and of a section, on a guide page. */
  step: (n: number) => `#step-${n}`,
  section: (id: string) => `#${id}`,
  health: '/healthz',
  ready: '/readyz',
} as const;

/** Route patterns of the /:locale router (Express syntax), beside the builders above. */
export const patterns = {
  home: '/',
  guide: '/guides/:slug',
  print: '/guides/:slug/print',
  present: '/guides/:slug/present/:n',
  tool: '/tools/:tool',
  offline: '/offline',
  offlineList: '/offline.json',
  manifest: '/manifest.webmanifest',
} as const;
