/**
 * What a reader types is scrubbed before it is stored: e-mail addresses (obfuscated ones too),
 * phone numbers, long runs of digits (a social security or account number), identity document
 * numbers and IBANs become a marker. Nothing that identifies a person is kept, even when the
 * reader was told not to type it, and however it is written: in any script's digits, fullwidth,
 * superscript or circled, split by invisible characters or by any separator.
 *
 * How: the comment is folded into a text for matching (`fold`): NFKC (fullwidth, superscript,
 * circled and mathematical forms become plain ones, ＠ becomes @), invisible characters dropped
 * (format characters such as LRM, RLM, ZWSP, ZWNJ, ZWJ, soft hyphen, word joiner, and the other
 * default-ignorable ones), every script's digits as 0-9. The patterns run on that text; each
 * character of it knows which characters of the comment it came from, so what is stored is the
 * comment AS WRITTEN with the matched pieces replaced. Only the matched pieces change: NFKC would
 * otherwise rewrite Arabic presentation forms and other compatibility characters, and dropping
 * ZWNJ everywhere would break Persian, Dari and Pashto words («می‌شود»); outside a match both
 * stay as the reader typed them.
 */
export const REMOVED = '[…]';

/** The text the patterns see, and for each of its UTF-16 units the piece of the comment it came from. */
interface Folded {
  text: string;
  from: number[];
  to: number[];
}

/** Invisible characters: format characters (\p{Cf}) and the other default-ignorable ones (CGJ, variation selectors, fillers). */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const MARK = /\p{M}/u;
/** A base character and the combining marks on it: normalised together, so that NFKC can compose them. */
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu;

/**
 * The value of every decimal digit not ASCII (Arabic-Indic, Persian, Devanagari, …), read once
 * from Unicode itself: decimal digits come in runs of ten, zero first (a Unicode stability policy).
 */
const DIGIT_VALUE = new Map<number, number>();
{
  const isDigit = /\p{Nd}/u;
  let zero = -1;
  for (let cp = 0x80; cp < 0x20000; cp++) {
    if (!isDigit.test(String.fromCodePoint(cp))) zero = -1;
    else {
      if (zero < 0 || cp - zero === 10) zero = cp;
      DIGIT_VALUE.set(cp, cp - zero);
    }
  }
}
/** Numbers in circles that NFKC leaves as they are (dingbats): first code point, last, value of the first. */
const DINGBATS: [number, number, number][] = [
  [0x2776, 0x277f, 1], // ❶–❿
  [0x2780, 0x2789, 1], // ➀–➉
  [0x278a, 0x2793, 1], // ➊–➓
  [0x24eb, 0x24f4, 11], // ⓫–⓴
  [0x24f5, 0x24fe, 1], // ⓵–⓾
  [0x24ff, 0x24ff, 0], // ⓿
  [0x1f10b, 0x1f10c, 0], // 🄋 🄌
];

function asDigits(cp: number): string | undefined {
  const value = DIGIT_VALUE.get(cp);
  if (value !== undefined) return String(value);
  const dingbat = DINGBATS.find(([first, last]) => cp >= first && cp <= last);
  return dingbat && String(cp - dingbat[0] + dingbat[2]);
}

function fold(comment: string): Folded {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  for (const m of comment.matchAll(CLUSTER)) {
    let out = '';
    for (const ch of m[0].normalize('NFKC')) {
      if (INVISIBLE.test(ch)) continue;
      // A combining mark on a digit (a bypass as good as an invisible character) is dropped.
      if (MARK.test(ch) && /\d$/.test(out)) continue;
      out += asDigits(ch.codePointAt(0)!) ?? ch;
    }
    for (let i = 0; i < out.length; i++) {
      from.push(m.index);
      to.push(m.index + m[0].length);
    }
    text += out;
  }
  return { text, from, to };
}

type Span = [start: number, end: number];

/** Every match of a global pattern that `accept` takes (it may narrow it); after a refusal, the search goes on one character further. */
function spans(re: RegExp, text: string, accept: (m: RegExpExecArray) => Span | null = (m) => [m.index, m.index + m[0].length]): Span[] {
  const found: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const span = accept(m);
    if (span && span[1] > span[0]) found.push(span);
    else re.lastIndex = m.index + 1;
  }
  return found;
}

const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;

// E-mail addresses. The @ may be written (at), [at], {at}, <at>, "arobase", or spaced: jean @ example . com;
// an address cut short (jean@gmail) goes too. A dot may be written (dot), [dot], " dot ", or spaced ("example
// . com", "example .com"); a dot followed by a space, or " point ", only before a top-level domain that is
// not also a word: "jean@gmail.com. It works" keeps "It works".
const LABEL = String.raw`[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}\-]*[\p{L}\p{M}\p{N}])?`;
const TLD = String.raw`(?:com|net|org|info|biz|edu|gov|gouv|fr|uk|eu|io|ch|nl|tn|dz|pk|ir|tr|ae|qa|af)(?![\p{L}\p{N}])`;
const DOT = String.raw`(?:[.。](?=[\p{L}\p{M}\p{N}])|\s*[(\[{<]\s*(?:dot|point|\.)\s*[)\]}>]\s*|\s+dot\s+|\s+\.\s*|(?:\s+point\s+|\.\s+)(?=${TLD}))`;
const AT = String.raw`(?:@|(?<spaced>\s+@\s*|@\s+)|\s*[(\[{<]\s*(?:at|@|arobase|arobas)\s*[)\]}>]\s*|\s+(?:arobase|arobas)\s+|(?<bare>\s+at\s+))`;
const EMAIL = new RegExp(
  String.raw`(?<local>[\p{L}\p{M}\p{N}_%+\-](?:[\p{L}\p{M}\p{N}._%+\-]*[\p{L}\p{M}\p{N}_%+\-])?)${AT}(?<domain>${LABEL}(?:${DOT}${LABEL})*)`,
  'giu',
);
/** Mail providers: "jean at gmail.com" is an address, "stuck at ameli.fr" is not. */
const PROVIDERS = new Set(
  'gmail googlemail hotmail yahoo outlook live msn icloud me aol orange wanadoo free sfr laposte bbox neuf proton protonmail gmx yandex mail menara iam'.split(
    ' ',
  ),
);
/**
 * A spaced @ makes an address only with a dot after it ("je suis @ la maison" is not one); a bare
 * " at " needs more to show for it: a dot, a digit or _ before it, a spelt-out or spaced dot, or a
 * mail provider after it ("stuck at ameli.fr" is not one).
 */
function email(m: RegExpExecArray): Span | null {
  const { local, domain, bare, spaced } = m.groups!;
  if ((bare || spaced) && !/[^\p{L}\p{M}\p{N}-]/u.test(domain!)) return null;
  if (bare) {
    const spelt = /[\s()[\]{}<>]/.test(domain!);
    if (!spelt && !/[._%+\-\d]/.test(local!) && !PROVIDERS.has(domain!.split('.')[0]!.toLowerCase())) return null;
  }
  return [m.index, m.index + m[0].length];
}

/**
 * Recent dates (12/03/2026, 2026-03-12, from 2020 on), spans of years (2025-2026) and of hours
 * (14.30-15.45) are not phone numbers: they are hidden from the number patterns, so that a report
 * can say since when a screen has changed. An older date may be a date of birth: it goes, as a
 * phone number would.
 */
const DATES =
  /(?<![\d/.-])(?:\d{1,2}([/.-])\d{1,2}\1(?:20[2-9]\d)|20[2-9]\d([/.-])\d{1,2}\2\d{1,2}|(?:19|20)\d\d\s?[–—/-]\s?(?:19|20)\d\d|(?:[01]?\d|2[0-3])[.h:][0-5]\d\s?[–—-]\s?(?:[01]?\d|2[0-3])[.h:][0-5]\d)(?!\d|[/.-]\d)/gu;

/**
 * A phone number: an optional + or bracket, then groups of digits with any separators between them
 * (spaces, line breaks, . - / _ , – — ، ٫ ٬ ـ : * ~ + | · brackets), at least 8 digits in all. A list
 * of small numbers ("steps 1, 2, 3, 4, 5, 6, 7, 8", «المراحل ١، ٢، ٣») is not one: when every
 * separator is a comma and a space, no group may be a single digit.
 */
const PHONE = /(?:\+\s?)?(?:\(\s?)?(?<!\d)\d+(?:(?:\s{0,2}[\p{Pd}\u2212./_,،٫٬ـ:*~+|'’·•()]{1,3}\s{0,2}|\s{1,8})\d+)+/gu;
function phone(m: RegExpExecArray): Span | null {
  const groups = m[0].match(/\d+/g)!;
  const between = m[0].split(/\d+/).slice(1, -1);
  const list = between.every((s) => /^[,،]\s+$/.test(s));
  if (groups.join('').length < 8 || (list && groups.some((g) => g.length === 1))) return null;
  return [m.index, m.index + m[0].length];
}

/** Any run of 6 digits or more, even split by single spaces (a number, a code, an account). */
const DIGITS = /\d(?:\s?\d){5,}/gu;

/** Identity document numbers: runs of letters and digits with at least 5 digits (12AB34567, P01234567, J130012345), 6 to 34 long. */
const ID_RUN = /(?<![A-Za-z0-9])[A-Za-z0-9]{6,34}(?![A-Za-z0-9])/gu;
const idRun = (m: RegExpExecArray): Span | null => (count(m[0], /\d/g) >= 5 ? [m.index, m.index + m[0].length] : null);
/** One or two capitals, then 5 to 8 digits: the Moroccan identity card (BK 12345, BK123456), a passport (P 1234567). */
const LETTERS_NUMBER = /(?<![A-Za-z0-9])[A-Z]{1,2}[ -]?\d{5,8}(?![A-Za-z0-9])/gu;

/**
 * A document's name, in the five languages, then its number: "carte de séjour 12345",
 * "passport no AB 12345", «جواز رقم ٥٤٣٢١», «تذکره‌ام ۱۲۳۴۵», «د تذکرې شمېره ۱۲۳۴۵». A Latin
 * name stands alone; an Arabic-script one may carry a suffix (my, of) or a prefix (and, the).
 */
const DOCUMENT_NAMES = [
  // French
  String.raw`passeports?|carte nationale d['’]identit[ée]|carte d['’]identit[ée]|cartes? de s[ée]jour|titres? de s[ée]jour|cartes? vitale|cartes?|titres?|r[ée]c[ée]piss[ée]s?`,
  String.raw`permis(?: de conduire)?|num[ée]ros?|n[°º]|s[ée]cu|dossiers?|identifiant|allocataire|CNIE?|NIR|AGDREF|visa`,
  // English
  String.raw`passports?|ID(?: card)?|identity card|residence (?:permit|card)|permit|licen[cs]e|social security(?: number)?|SSN|numbers?|file|reference|card`,
  // Arabic (a tāʾ marbūṭa becomes a tāʾ before a suffix: بطاقتي)
  String.raw`جواز(?: السفر)?|بطاق[ةت]|رخص[ةت]|سند|تصريح|إقام[ةت]|رقم|ملف|تأشير[ةت]`,
  // Dari and Pashto
  String.raw`پاسپورت|پاسپورټ|تذ[کك]ر[هةېی]|تذ[کك][یي]ره|شناسنامه|[کك]ارت|اقامت|و[یي]زه|شماره|شمېره|شم[یي]ره|نمبر|ګڼه|گڼه`,
].join('|');
const DOCUMENT_NAME = new RegExp(String.raw`(?<!\p{Script=Latin})(?:${DOCUMENT_NAMES})(?:(?<=\p{Script=Arabic})\p{L}{0,3})?(?!\p{Script=Latin})`, 'giu');
/** What may stand between the name and the number: "n°", "number", "my", "is", «رقم», «من», «مې», «د»… */
const BETWEEN = new RegExp(
  String.raw`(?:[\s:#°º№.=\-]|(?:n[°º]|no|nr|num[ée]ro|number|num|de|d['’]|du|my|mon|ma|is|est|رقم\p{L}{0,2}|الرقم|شماره\p{L}{0,2}|شمېره|نمبر|ګڼه|گڼه|من|مې|زما|د|هو)(?![\p{L}\p{N}]))*`,
  'iuy',
);
/** The number: one or two capitals maybe, then groups with a digit in each, joined by a space, - / or . */
const NUMBER = /(?:[A-Z]{1,2}[ -]?)?[A-Za-z0-9]*\d[A-Za-z0-9]*(?:[ /.-][A-Za-z0-9]*\d[A-Za-z0-9]*)*(?![A-Za-z0-9])/uy;
function documentAfterName(text: string): Span[] {
  const found: Span[] = [];
  for (const name of text.matchAll(DOCUMENT_NAME)) {
    BETWEEN.lastIndex = name.index + name[0].length;
    BETWEEN.exec(text);
    NUMBER.lastIndex = BETWEEN.lastIndex;
    const number = NUMBER.exec(text)?.[0];
    if (!number) continue;
    const digits = count(number, /\d/g);
    // 5 digits, or letters and 3 digits in one group (AB123): not "carte 2", nor "titre 2026".
    if (digits >= 5 || number.split(/[ /.-]/).some((g) => g.length >= 5 && /[A-Za-z]/.test(g) && count(g, /\d/g) >= 3))
      found.push([NUMBER.lastIndex - number.length, NUMBER.lastIndex]);
  }
  return found;
}

/**
 * An IBAN, of any country: 2 letters, 2 check digits, 11 to 30 letters and digits, spaces or dashes
 * allowed (FR76 3000 6000 0112 3456 7890 189, MA64…, GB29 NWBK…). Words the pattern ran on into
 * ("… 189 et merci") are given back: the groups at the end without a digit.
 */
const IBAN = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])/gu;
function iban(m: RegExpExecArray): Span | null {
  const match = m[0].replace(/(?:[ -][A-Za-z]+)+$/, '');
  const chars = match.replace(/[ -]/g, '');
  return chars.length >= 15 && count(chars, /\d/g) >= 10 ? [m.index, m.index + match.length] : null;
}

/** Every personal piece in the folded text, as sorted spans that neither overlap nor touch. */
function personal(text: string): Span[] {
  // The number patterns do not see dates: each of their characters becomes one that nothing matches.
  const numbers = text.replace(DATES, (d) => '\uE000'.repeat(d.length));
  const found = [
    ...spans(EMAIL, text, email),
    ...spans(IBAN, numbers, iban),
    ...spans(PHONE, numbers, phone),
    ...spans(DIGITS, numbers),
    ...spans(ID_RUN, numbers, idRun),
    ...spans(LETTERS_NUMBER, numbers),
    ...documentAfterName(numbers),
  ].sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const span of found) {
    const last = merged.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

export function scrub(comment: string): string {
  const written = comment.normalize('NFC');
  const folded = fold(written);
  let out = '';
  let kept = 0;
  for (const [start, end] of personal(folded.text)) {
    const from = folded.from[start]!;
    // Two pieces that come from one character of the comment (the two digits of a ⑩) are one piece.
    if (from >= kept) out += written.slice(kept, from) + REMOVED;
    kept = Math.max(kept, folded.to[end - 1]!);
  }
  return (out + written.slice(kept)).trim();
}
