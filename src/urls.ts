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
  /** Help-desk mode: part n of a guide (a section's blocks, or a step) on a screen of its own. */
  present: (l: Lang, slug: string, n: number, other?: Lang) => `/${l.id}/guides/${slug}/present/${n}${q(other)}`,
  /** A tool; `search` is its answers, already a canonical query string ("?a=1&b=2") or "". */
  tool: (l: Lang, id: string, search = '') => `/${l.id}/tools/${id}${search}`,
  /** Where readers' answers and reports are posted. */
  feedback: (l: Lang) => `/${l.id}/feedback`,
  /** The form to report a problem with a step of a guide (after a "No" to one of its screens: that screen and answer), or with a tool's answer. */
  report: (l: Lang, slug: string, step: number, after?: { screen: string; answer: number }) =>
    `/${l.id}/guides/${slug}/report?step=${step}${after ? `&screen=${encodeURIComponent(after.screen)}&answer=${after.answer}` : ''}`,
  toolReport: (l: Lang, id: string) => `/${l.id}/tools/${id}/report`,
  /** The thank-you page after a report, leading back to the step or the tool. */
  thanks: (l: Lang, about: { guide: string; step: number } | { tool: string }) =>
    'tool' in about ? `/${l.id}/feedback/thanks?tool=${about.tool}` : `/${l.id}/feedback/thanks?guide=${about.guide}&step=${about.step}`,
  editor: {
    home: '/editor/',
    signIn: '/editor/sign-in',
    signOut: '/editor/sign-out',
    handle: '/editor/handle',
    csv: '/editor/reports.csv',
    guides: '/editor/guides',
    /** One guide's texts in one language, to edit. */
    edit: (slug: string, language: string) => `/editor/guides/${slug}/${language}`,
    changes: '/editor/changes',
    history: '/editor/history',
    /** A readers' page with a draft or a change set applied. */
    preview: (path: string, set?: number) => `/editor/preview${path}${set ? `?set=${set}` : ''}`,
    change: (id: number) => `/editor/changes/${id}`,
    /** The outdated texts of every guide in a language, oldest change first. */
    translations: (language: string) => `/editor/translations/${language}`,
    /** A guide's texts in a language as XLIFF 2.0 (?outdated=1: only the outdated ones); uploads go to xliffImport. */
    xliff: (slug: string, language: string) => `/editor/xliff/${slug}/${language}.xlf`,
    xliffImport: '/editor/xliff',
    accounts: '/editor/accounts',
    audit: '/editor/audit',
    auditCsv: '/editor/audit.csv',
  },
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
  /** An address no page has: where a static edition's 404 page of each language (or the site's) is rendered from. */
  notFound: (l?: Lang) => (l ? `/${l.id}/404` : '/404'),
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
  feedback: '/feedback',
  report: '/guides/:slug/report',
  toolReport: '/tools/:tool/report',
  thanks: '/feedback/thanks',
  offline: '/offline',
  offlineList: '/offline.json',
  manifest: '/manifest.webmanifest',
} as const;
