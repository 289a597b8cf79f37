import type { Language, Registry } from '../languages.js';
import { facts, type Inline, InlineError, links, parseInline, REF, textRuns } from './markup.js';
import type { Block, GuideFile } from './schema.js';

/** A check's report of one problem at a path of the file it checks. */
export type PathReport = (path: string, message: string) => void;

/** Whether an address may be linked from a guide: http(s), on one of its declared domains or their subdomains. */
export function onDomains(domains: readonly string[]) {
  return (href: string) => {
    try {
      const u = new URL(href);
      return /^https?:$/.test(u.protocol) && domains.some((d) => u.hostname === d || u.hostname.endsWith(`.${d}`));
    } catch {
      return false;
    }
  };
}

/** Every address guide.yaml gives (site, checked page, facts, notices' sources, cards) is on a declared domain. */
export function checkAddresses(g: GuideFile, allowed: (href: string) => boolean, report: PathReport) {
  const addresses: Array<[string, string | undefined]> = [
    ['site', g.site],
    ['checked.url', g.checked.url],
    ['help.site', g.help?.site],
    ['help.places.url', g.help?.places?.url],
    ['help.places.source', g.help?.places?.source],
    ...Object.entries(g.facts).map(([id, f]): [string, string | undefined] => [`facts.${id}.value`, f.kind === 'url' ? f.value : undefined]),
  ];
  g.sections.forEach((s, si) =>
    s.blocks.forEach((b, bi) => {
      const at = `sections[${si}].blocks[${bi}]`;
      if (b.type === 'callout') addresses.push([`${at}.source`, b.source]);
      if (b.type === 'pairs') b.items.forEach((item, n) => addresses.push([`${at}.items[${n}].url`, item.url]));
      if (b.type === 'checklists') {
        b.items.forEach((item, n) => addresses.push([`${at}.items[${n}].url`, item.url], [`${at}.items[${n}].source`, item.source]));
      }
    }),
  );
  const phone = g.help?.phone;
  for (const [id, f] of Object.entries(g.facts)) if ((f.source === undefined) !== (f.date === undefined)) report(`facts.${id}`, 'a fact’s source and date go together');
  if (phone && g.facts[phone]?.kind !== 'phone') report('help.phone', `"${phone}" is not a fact of kind phone`);
  for (const [path, url] of addresses) if (url && !allowed(url)) report(path, `${url} is not on a domain listed in "domains"`);
}

/** Every text id a guide's structure asks for. */
export function requiredTextIds(g: GuideFile, report: PathReport): Set<string> {
  const ids = new Set<string>();
  const add = (id: string, path: string) => {
    if (ids.has(id)) report(path, `text id "${id}" is used twice`);
    ids.add(id);
  };
  add('title', 'title');
  add('summary', 'summary');
  add('checked.source', 'checked');
  if (g.checked.note) add('checked.note', 'checked.note');
  g.sections.forEach((s, si) => {
    add(`${s.id}.title`, `sections[${si}].id`);
    s.blocks.forEach((b: Block, bi) => {
      const at = `sections[${si}].blocks[${bi}]`;
      switch (b.type) {
        case 'text':
        case 'heading':
        case 'callout':
          add(b.id, `${at}.id`);
          break;
        case 'list':
          b.items.forEach((id, n) => add(id, `${at}.items[${n}]`));
          break;
        case 'steps':
          b.steps.forEach((st, n) => {
            add(st.id, `${at}.steps[${n}].id`);
            st.substeps.forEach((id, k) => add(id, `${at}.steps[${n}].substeps[${k}]`));
            st.branches.forEach((br, k) => add(br.id, `${at}.steps[${n}].branches[${k}].id`));
          });
          break;
        case 'checklists':
          add(`${b.id}.conclusion`, `${at}.id`);
          if (b.tool) for (const k of ['title', 'intro']) add(`${b.id}.tool.${k}`, `${at}.tool`);
          b.items.forEach((item, n) => {
            for (const check of item.checks) add(`${b.id}.${item.key}.${check}`, `${at}.items[${n}].checks`);
            if (item.status !== 'current') add(`${b.id}.${item.key}.notice`, `${at}.items[${n}].status`);
            if (item.note) add(`${b.id}.${item.key}.note`, `${at}.items[${n}].note`);
          });
          break;
        case 'pairs':
          if (b.tool) for (const k of ['title', 'intro']) add(`${b.id}.tool.${k}`, `${at}.tool`);
          if (b.items.some((i) => i.note) && !(b.note && g.sections.some((s) => s.blocks.some((o) => o.type === 'callout' && o.id === b.note))))
            report(`${at}.note`, 'an item has a note: name the text id of a callout of this guide');
          b.items.forEach((item, n) => {
            add(`${b.id}.${item.key}.term`, `${at}.items[${n}].key`);
            add(`${b.id}.${item.key}.detail`, `${at}.items[${n}].key`);
          });
          break;
        case 'decision':
          add(`${b.id}.start`, `${at}.id`);
          if (b.tool) for (const k of ['title', 'intro']) add(`${b.id}.tool.${k}`, `${at}.tool`);
          b.questions.forEach((q, n) => {
            add(`${b.id}.${q.key}.question`, `${at}.questions[${n}].key`);
            add(`${b.id}.${q.key}.no`, `${at}.questions[${n}].key`);
          });
          add(`${b.id}.yes`, `${at}.id`);
          break;
      }
    });
  });
  for (const id of ids) {
    for (const other of ids) if (other.startsWith(`${id}.`)) report('sections', `"${id}" is both a text and a group of texts ("${other}")`);
  }
  return ids;
}

/** A text of a <locale>.yaml: its markup parsed, its facts and links known, its orthography that of its language. */
export function checkText(
  value: string,
  heading: boolean,
  language: Language,
  g: GuideFile,
  registry: Registry,
  allowed: (href: string) => boolean,
  report: (message: string) => void,
): Inline[] | undefined {
  let nodes: Inline[];
  try {
    nodes = parseInline(value);
  } catch (e) {
    if (e instanceof InlineError) return void report(e.message);
    throw e;
  }
  for (const id of facts(nodes)) if (!g.facts[id]) report(`{${id}} is not a fact of guide.yaml`);
  // Links to Dalil's own pages are checked once every guide is read (catalogue.ts).
  for (const href of links(nodes)) if (!REF.test(href) && !allowed(href)) report(`link ${href} must be http(s) to a domain listed in guide.yaml "domains"`);
  if (heading && ([...links(nodes)].length || [...facts(nodes)].some((id) => ['phone', 'url'].includes(g.facts[id]?.kind ?? '')))) {
    report('a title is itself a link in the table of contents: it cannot hold a link, a phone number or an address');
  }
  for (const run of textRuns(nodes, language.id)) {
    const l = registry.get(run.lang);
    if (!l) {
      report(`{${run.lang}:…} names no language of locales/languages.json`);
      continue;
    }
    for (const problem of orthographyProblems(run.v, l)) report(problem);
  }
  return nodes;
}

/** Characters foreign to a language's orthography, and Arabic script in a Latin-script language. */
export function orthographyProblems(text: string, l: Language): string[] {
  const problems: string[] = [];
  for (const f of l.forbidden) {
    const found = [...text].find((ch) => f.char.includes(ch));
    if (found) problems.push(`"${found}" (U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, ${f.why}) is not ${l.name} orthography: write ${f.use}`);
  }
  if (l.script === 'Latn' && /\p{Script=Arabic}/u.test(text)) problems.push(`Arabic-script text in ${l.name}: mark it as a term such as {ar:…}`);
  return problems;
}

/** The site's own words (labels, screens) must be in a known language and its orthography. */
export function checkSiteTexts(g: GuideFile, registry: Registry, report: PathReport) {
  const check = (path: string, text: string | undefined, lang: string | undefined, fallback: string) => {
    if (text === undefined) return;
    const l = registry.get(lang ?? fallback);
    if (!l) return report(path, `"${lang}" is not a language of locales/languages.json`);
    for (const problem of orthographyProblems(text, l)) report(path, problem);
  };
  for (const [id, f] of Object.entries(g.facts)) if (f.kind === 'ui') check(`facts.${id}.value`, f.value, f.lang, g.siteLanguage);
  for (const [key, screen] of Object.entries(g.screens)) {
    const lang = screen.lang ?? g.siteLanguage;
    const at = `screens.${key}`;
    check(`${at}.title`, screen.title, lang, lang);
    screen.messages.forEach((m, i) => (typeof m === 'string' ? check(`${at}.messages[${i}]`, m, lang, lang) : check(`${at}.messages[${i}].text`, m.text, m.lang, lang)));
    screen.buttons.forEach((b, i) => check(`${at}.buttons[${i}]`, b, lang, lang));
    screen.fields.forEach((f, i) => {
      check(`${at}.fields[${i}].label`, f.label, f.lang, lang);
      check(`${at}.fields[${i}].placeholder`, f.placeholder, f.lang, lang);
      if (f.also) check(`${at}.fields[${i}].also`, f.also.text, f.also.lang, lang);
      f.options?.forEach((o, k) => check(`${at}.fields[${i}].options[${k}]`, o, f.lang, lang));
    });
  }
  g.sections.forEach((s, si) =>
    s.blocks.forEach((b, bi) => {
      if (b.type !== 'steps') return;
      b.steps.forEach((st, n) => {
        const at = `sections[${si}].blocks[${bi}].steps[${n}]`;
        const refs = [
          ...st.screens.map((key, k) => [`${at}.screens[${k}]`, key]),
          ...st.branches.flatMap((br, b) => br.screens.map((key, k) => [`${at}.branches[${b}].screens[${k}]`, key])),
        ];
        for (const [path, key] of refs) if (!g.screens[key!]) report(path!, `"${key}" is not a screen of guide.yaml "screens"`);
      });
    }),
  );
}

