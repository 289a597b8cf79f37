import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportUiXliff, importUiXliff } from '../../src/editing/exchange.js';
import { readXliff, writeXliff, XLIFF_LIMIT, XliffError, type XliffDocument } from '../../src/editing/xliff.js';
import { loadLanguages } from '../../src/languages.js';
import { ROOT } from '../helpers.js';

const LINK = '](https://www.service-public.fr/demarche?type=1&lang=fr)';

/** A guide's texts in French, translated into Arabic: codes moved around, a term kept in French, a link, an emphasis. */
const doc: XliffDocument = {
  sourceLanguage: 'fr',
  targetLanguage: 'ar',
  file: 'caf-aides',
  units: [
    { id: 'intro', source: 'Bonjour.', target: 'مرحبا.' },
    {
      id: 'steps.1.text',
      source: `Cliquez sur **Continuer**, puis ouvrez [le site${LINK}.`,
      target: `افتح [الموقع${LINK}، ثم انقر على **متابعة**.`,
      note: 'Le bouton en bas de la page',
    },
    {
      id: 'steps.2.text',
      source: 'Écrivez {phone-number} dans la case {fr:Numéro de téléphone}.',
      target: 'اكتب {phone-number} في خانة {fr:Numéro de téléphone}.',
    },
    { id: 'steps.3.text', source: 'Attendez le courriel {continue}.', note: 'Pas encore traduit' },
    { id: 'steps.4.text', source: 'Voir le guide.', target: 'انظر [الدليل](guide:caf#start).' },
  ],
};

const texts = new Map(doc.units.map((u) => [u.id, { source: u.source, target: u.target }]));
const expected = { sourceLanguage: 'fr', targetLanguage: 'ar', file: 'caf-aides', current: (id: string) => texts.get(id) };

/** The problems of a refused file (fails if it was not refused with an XliffError). */
async function refusal(xml: string, against = expected): Promise<string[]> {
  const error: unknown = await readXliff(xml, against).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(XliffError);
  return (error as XliffError).problems;
}

/** The file's XML with the <target> of one unit changed. */
function editTarget(xml: string, id: string, change: (target: string) => string): string {
  const at = xml.indexOf(`<unit id="${id}">`);
  const start = xml.indexOf('<target>', at);
  const end = xml.indexOf('</target>', start);
  return xml.slice(0, start) + change(xml.slice(start, end)) + xml.slice(end);
}

const xml = await writeXliff(doc);
const DTD = 'XLIFF files have no DTD: a file declaring a DOCTYPE or entities is refused (it could read files of the server or expand without end)';

describe('writing XLIFF 2.0', () => {
  it('writes one file, a unit per text with its note, each code a <ph/> whose equiv is its text, nothing indented', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<xliff ')).toBe(true);
    expect(xml).toContain('version="2.0" srcLang="fr" trgLang="ar"><file id="caf-aides"><unit id="intro">');
    expect(xml.match(/<file /g)).toHaveLength(1);
    expect(xml.match(/<unit /g)).toHaveLength(5);
    expect(xml).toContain('<notes><note>Le bouton en bas de la page</note></notes>');
    expect(xml.split('\n')).toHaveLength(2);
    expect(xml.split('\n')[1]).not.toMatch(/>\s+</);
    expect(xml).toContain('<source>Cliquez sur <ph id="1" equiv="**" disp="**" canDelete="no"/>Continuer<ph id="2" equiv="**" disp="**" canDelete="no"/>');
    expect(xml).toContain(`<ph id="4" equiv="${LINK.replace('&', '&amp;')}"`);
    expect(xml).toContain('<ph id="2" equiv="{fr:Numéro de téléphone}"');
    // In the target, codes keep the id of the source's code with their text, wherever they are.
    expect(xml).toContain('<target>افتح <ph id="3" equiv="[" disp="[" canDelete="no"/>الموقع<ph id="4" ');
    expect(xml).toContain('ثم انقر على <ph id="1" equiv="**" disp="**" canDelete="no"/>متابعة<ph id="2" ');
    // A code the source does not have is numbered apart.
    expect(xml).toContain('<target>انظر <ph id="t1" equiv="[" disp="[" canDelete="no"/>الدليل<ph id="t2" equiv="](guide:caf#start)"');
    expect(xml).toContain('<source>Bonjour.</source><target>مرحبا.</target>');
  });
});

describe('reading XLIFF 2.0 back', () => {
  it('keeps characters XML escapes and line ends, in texts, codes and the file id, as they were', async () => {
    const tricky: XliffDocument = {
      ...doc,
      file: 'a&b<c',
      units: [
        { id: 'x&y', source: 'Tom & Jerry <3 "quoted" &amp; [lien](https://a.fr/?x=1&y=<2>)', target: 'توم & جيري <3 &amp; [رابط](https://a.fr/?x=1&y=<2>)' },
        { id: 'empty', source: '', target: '' },
        { id: 'lines', source: 'Ligne 1\nLigne 2', target: 'سطر 1\nسطر 2' },
      ],
    };
    const now = new Map(tricky.units.map((u) => [u.id, { source: u.source, target: u.target }]));
    const against = { ...expected, file: 'a&b<c', current: (id: string) => now.get(id) };
    const written = await writeXliff(tricky);
    expect(await readXliff(written, against)).toEqual([]);
    // Saved on Windows: XML reads CRLF as LF.
    expect(await readXliff(written.replace(/\n/g, '\r\n'), against)).toEqual([]);
    expect(await readXliff(written.replace('جيري', 'جيري!'), against)).toEqual([{ id: 'x&y', target: 'توم & جيري! <3 &amp; [رابط](https://a.fr/?x=1&y=<2>)' }]);
  });

  it('finds nothing changed in the file as it was written', async () => {
    expect(await readXliff(xml, expected)).toEqual([]);
  });

  it('returns only the unit whose words changed, as Dalil markup, its codes where the translator put them', async () => {
    const edited = editTarget(xml, 'steps.1.text', (t) => t.replace('ثم انقر على', 'ثم اضغط على'));
    expect(await readXliff(edited, expected)).toEqual([{ id: 'steps.1.text', target: `افتح [الموقع${LINK}، ثم اضغط على **متابعة**.` }]);
  });

  it('takes each code from the current texts by id, never from the file', async () => {
    const edited = editTarget(xml, 'steps.4.text', (t) => t.replace('انظر', 'راجع').replace('equiv="](guide:caf#start)"', 'equiv="](javascript:alert(1))"'));
    expect(await readXliff(edited, expected)).toEqual([{ id: 'steps.4.text', target: 'راجع [الدليل](guide:caf#start).' }]);
  });

  it('returns a translation of a text that had none; an empty target is not returned', async () => {
    const translated = xml.replace(
      '<source>Attendez le courriel <ph id="1" equiv="{continue}" disp="{continue}" canDelete="no"/>.</source>',
      (s) => `${s}<target>انتظر البريد <ph id="1"/>.</target>`,
    );
    expect(await readXliff(translated, expected)).toEqual([{ id: 'steps.3.text', target: 'انتظر البريد {continue}.' }]);
    expect(
      await readXliff(
        editTarget(xml, 'intro', () => '<target>'),
        expected,
      ),
    ).toEqual([]);
  });

  it('refuses a target whose code of the source was deleted, naming the unit and the code', async () => {
    const edited = editTarget(xml, 'steps.1.text', (t) => t.replace(/<ph id="2"[^>]*\/>/, ''));
    expect(await refusal(edited)).toEqual(['unit "steps.1.text": inline codes of the source are missing from the target (**, links, {facts} must stay): "**"']);
  });

  it('refuses a code twice and an unknown code id', async () => {
    const twice = editTarget(xml, 'steps.2.text', (t) => t.replace('اكتب', 'اكتب <ph id="1"/>'));
    expect(await refusal(twice)).toEqual(['unit "steps.2.text": inline codes appear more than once in the target: "{phone-number}"']);
    const unknown = editTarget(xml, 'steps.2.text', (t) => t.replace('اكتب', 'اكتب <ph id="9" equiv="{secret}"/>'));
    expect(await refusal(unknown)).toEqual(['unit "steps.2.text": unknown inline code id "9"']);
  });

  it('refuses inline elements other than <ph/>, those the library reads and those it drops', async () => {
    const pc = editTarget(xml, 'intro', (t) => t.replace('مرحبا', '<pc id="p1">مرحبا</pc>'));
    expect(await refusal(pc)).toEqual(['unit "intro": only <ph/> inline codes are accepted, and it has a <pc> element']);
    const mrk = editTarget(xml, 'intro', (t) => t.replace('مرحبا', 'مرحبا <mrk id="m1" translate="no">كلمة</mrk>'));
    expect(await refusal(mrk)).toEqual(['unit "intro": only <ph/> inline codes are accepted, and it has a <mrk> element']);
  });

  it('refuses a unit whose source changed since the export, and one the guide does not have', async () => {
    const now = new Map(texts).set('steps.2.text', { source: 'Écrivez {phone-number} ici.', target: texts.get('steps.2.text')!.target });
    expect(await refusal(xml, { ...expected, current: (id) => now.get(id) })).toEqual([
      'unit "steps.2.text": the source text changed since the file was exported: export it again',
    ]);
    const extra = xml.replace('</file>', '<unit id="steps.9.text"><segment><source>x</source><target>y</target></segment></unit></file>');
    expect(await refusal(extra)).toEqual(['unit "steps.9.text": no such text in this guide']);
  });

  it('lists every problem of a file at once', async () => {
    let edited = editTarget(xml, 'steps.1.text', (t) => t.replace(/<ph id="4"[^>]*\/>/, '').replace('انقر', 'اضغط'));
    edited = editTarget(edited, 'intro', (t) => t.replace('مرحبا', '<pc id="p1">مرحبا</pc>')).replace('trgLang="ar"', 'trgLang="ps"');
    const problems = await refusal(edited);
    expect(problems).toEqual([
      'the file\'s target language is "ps", but "ar" is expected',
      'unit "intro": only <ph/> inline codes are accepted, and it has a <pc> element',
      `unit "steps.1.text": inline codes of the source are missing from the target (**, links, {facts} must stay): "${LINK}"`,
    ]);
  });
});

describe('refusing files that are not this export', () => {
  it('refuses another language or another file', async () => {
    expect(await refusal(xml.replace('trgLang="ar"', 'trgLang="fa"'))).toEqual(['the file\'s target language is "fa", but "ar" is expected']);
    expect(await refusal(xml.replace('srcLang="fr"', 'srcLang="en"'))).toEqual(['the file\'s source language is "en", but this guide\'s is "fr"']);
    expect(await refusal(xml.replace('<file id="caf-aides">', '<file id="ants-permis">'))).toEqual([
      'the file\'s <file> has id "ants-permis", but "caf-aides" is expected',
    ]);
    expect(await refusal(xml.replace('</xliff>', '<file id="caf-aides"></file></xliff>'))).toEqual([
      'the file has 2 <file> elements, but exactly one is expected, with id "caf-aides"',
    ]);
  });

  it('refuses XLIFF 1.2, and XLIFF 2.1', async () => {
    const v12 =
      '<?xml version="1.0" encoding="UTF-8"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="caf-aides" source-language="fr" target-language="ar" datatype="plaintext"><body><trans-unit id="intro"><source>Bonjour.</source><target>مرحبا.</target></trans-unit></body></file></xliff>';
    expect(await refusal(v12)).toEqual(['the file is XLIFF 1.2, but only XLIFF 2.0 is accepted']);
    expect(await refusal(xml.replace('version="2.0" srcLang', 'version="2.1" srcLang'))).toEqual(['the file is XLIFF 2.1, but only XLIFF 2.0 is accepted']);
  });

  it('refuses what is not XML, or not XLIFF', async () => {
    expect((await refusal('Bonjour, voici ma traduction.'))[0]).toMatch(/^the file is not well-formed XML: /);
    expect((await refusal(xml.replace('</file>', '</unit></file>')))[0]).toMatch(/^the file is not well-formed XML: /);
    expect(await refusal('')).toEqual(['the file is not XML: it has no element']);
    expect(await refusal('<html><body>x</body></html>')).toEqual(['the file is not XLIFF: its root element is <html>, not <xliff>']);
    expect(await refusal(xml.replace('<file id="caf-aides">', '<file>'))).toEqual([
      'the file is not complete XLIFF 2.0: each <file> needs an id, each <segment> a <source>',
    ]);
  });

  it('refuses a file over the limit, in bytes', async () => {
    expect(await refusal(xml.replace('</xliff>', `<!-- ${'x'.repeat(XLIFF_LIMIT)} --></xliff>`))).toEqual(['the file is larger than 500 KB']);
    // Fewer characters than the limit, more bytes: Arabic letters take two bytes each.
    expect(await refusal(xml.replace('مرحبا', 'ب'.repeat(XLIFF_LIMIT / 2)))).toEqual(['the file is larger than 500 KB']);
  });
});

describe('refusing hostile files before parsing them', () => {
  it('refuses an external entity (XXE), and says nothing of the file it names', async () => {
    const xxe = xml
      .replace('<xliff ', '<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xliff ')
      .replace('<target>مرحبا.</target>', '<target>&xxe;</target>');
    const error: unknown = await readXliff(xxe, expected).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(XliffError);
    expect((error as XliffError).problems).toEqual([DTD]);
    const told = `${(error as XliffError).message}\n${String((error as Error).stack)}`;
    for (const line of readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .filter((l) => l.length > 3))
      expect(told).not.toContain(line);
  });

  it('refuses entities that expand without end (billion laughs), and a DOCTYPE written in lower case', async () => {
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let n = 1; n <= 10; n++) entities.push(`<!ENTITY lol${n} "${`&lol${n - 1};`.repeat(10)}">`);
    const laughs = xml.replace('<xliff ', `<!DOCTYPE xliff [${entities.join('')}]><xliff `).replace('<target>مرحبا.</target>', '<target>&lol10;</target>');
    expect(await refusal(laughs)).toEqual([DTD]);
    expect(await refusal(xml.replace('<xliff ', '<!doctype xliff><xliff '))).toEqual([DTD]);
  });
});

describe('the interface’s strings through XLIFF', () => {
  it('exports them with {{interpolations}} as codes; a translated file writes the one string it changes into locales/, every other line as it was', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dalil-ui-xliff-'));
    try {
      cpSync(join(ROOT, 'locales'), join(root, 'locales'), { recursive: true });
      const registry = loadLanguages(join(root, 'locales'));
      const xml = await exportUiXliff(root, registry, registry.get('ps')!);
      expect(await importUiXliff(root, registry, xml)).toEqual([]);
      const unit = /<unit id="offline\.save">[\s\S]*?<target>([^<]*)<\/target>/.exec(xml)!;
      const changed = xml.replace(unit[0], unit[0].replace(unit[1]!, 'دا لارښود په دې آله کې خوندي کړئ'));
      expect(await importUiXliff(root, registry, changed)).toEqual(['offline.save']);
      const before = readFileSync(join(ROOT, 'locales/ps/common.json'), 'utf8').split('\n');
      const after = readFileSync(join(root, 'locales/ps/common.json'), 'utf8').split('\n');
      expect(after.filter((line, i) => line !== before[i])).toEqual(['    "save": "دا لارښود په دې آله کې خوندي کړئ",']);
      // An interpolation removed from a target: refused, naming the string.
      const count = /<unit id="(guide\.start)">[\s\S]*?<\/unit>/.exec(xml)![0];
      const broken = xml.replace(count, count.replace(/(<target>[^<]*)<ph [^>]*\/>/, '$1'));
      await expect(importUiXliff(root, registry, broken)).rejects.toThrow(/unit "guide\.start": inline codes of the source are missing/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
