import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InlineError, parseInline } from '../../src/content/markup.js';
import type { Fact } from '../../src/content/schema.js';
import { loadLanguages } from '../../src/languages.js';
import { renderInline } from '../../src/view-models/markup.js';
import { ROOT } from '../helpers.js';

const registry = loadLanguages(join(ROOT, 'locales'));
const facts: Record<string, Fact> = {
  button: { kind: 'ui', value: 'S’identifier avec FranceConnect' },
  label: { kind: 'ui', value: 'رقم الهاتف', lang: 'ar' },
  phone: { kind: 'phone', value: '05 20 19 40 40' },
  site: { kind: 'url', value: 'https://www.cnss.ma/' },
  number: { kind: 'code', value: '1 60 04 25 311 114 26' },
};
const render = (text: string, lang: string) =>
  renderInline(parseInline(text), { language: registry.get(lang)!, siteLanguage: registry.get('fr')!, facts, registry });

describe('inline markup', () => {
  it.each([
    ['**one** password', 'en', '<strong>one</strong> password'],
    // A boxed label keeps the punctuation after it on its line.
    ['Click {button}.', 'en', 'Click <span class="ui-run"><bdi class="ui" lang="fr" dir="ltr">S’identifier avec FranceConnect</bdi>.</span>'],
    ['Type {label}. Then', 'fr', 'Type <span class="ui-run"><bdi class="ui" lang="ar" dir="rtl">رقم الهاتف</bdi>.</span> Then'],
    [
      'Cliquez sur « {button} ».',
      'fr',
      'Cliquez sur « <span class="ui-run"><bdi class="ui" lang="fr" dir="ltr">S’identifier avec FranceConnect</bdi> ».</span>',
    ],
    ['انقر على {button}، ثم', 'ar', 'انقر على <span class="ui-run"><bdi class="ui" lang="fr" dir="ltr">S’identifier avec FranceConnect</bdi>،</span> ثم'],
    ['Click {button} then', 'en', 'Click <bdi class="ui" lang="fr" dir="ltr">S’identifier avec FranceConnect</bdi> then'],
    ['Call {phone}', 'en', 'Call <a class="phone" href="tel:0520194040" dir="ltr">05\u00a020\u00a019\u00a040\u00a040</a>'],
    // An address can break after its dots and slashes.
    ['See {site}', 'en', 'See <a class="url" href="https://www.cnss.ma/" dir="ltr">www.<wbr>cnss.<wbr>ma</a>'],
    ['your {fr:numéro fiscal}', 'en', 'your <bdi class="term" lang="fr" dir="ltr">numéro fiscal</bdi>'],
    // An official site's address is written out for paper (shown in print only).
    [
      '[the site](https://www.impots.gouv.fr/)',
      'en',
      '<a href="https://www.impots.gouv.fr/">the site</a><span class="print-href" dir="ltr"> (www.<wbr>impots.<wbr>gouv.<wbr>fr)</span>',
    ],
  ])('%s (%s)', (text, lang, html) => {
    expect(render(text, lang)).toBe(html);
  });

  it('escapes everything that is not markup: a script in content is inert text', () => {
    expect(render('<script>alert(1)</script> & <img src=x onerror=alert(1)>', 'en')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(render('[x"><script>](https://a.gouv.fr/"onmouseover=alert(1))', 'en')).toBe(
      '<a href="https://a.gouv.fr/&quot;onmouseover=alert(1">x&quot;&gt;&lt;script&gt;</a><span class="print-href" dir="ltr"> (a.<wbr>gouv.<wbr>fr/<wbr>&quot;onmouseover=alert(1)</span>)',
    );
  });

  it('isolates Latin runs and digit groups in right-to-left text, tagged with the site language', () => {
    expect(render('اتصل بالرقم 05 20 19 40 40 أو زر impots.gouv.fr الآن', 'ar')).toBe(
      'اتصل بالرقم <bdi dir="ltr">05 20 19 40 40</bdi> أو زر <bdi dir="ltr" lang="fr">impots.gouv.fr</bdi> الآن',
    );
    expect(render('با FranceConnect وصل شوید', 'prs')).toBe('با <bdi dir="ltr" lang="fr">FranceConnect</bdi> وصل شوید');
  });

  it('leaves left-to-right text as it is', () => {
    expect(render('Call 05 20 19 40 40 on impots.gouv.fr', 'en')).toBe('Call 05 20 19 40 40 on impots.gouv.fr');
  });

  it.each([
    ['**open', /never closed/],
    ['{open', /never closed/],
    ['{Not A Fact}', /neither a fact/],
    ['a } b', /no opening/],
    ['[no link]', /must start a link/],
    ['**[x](https://a.fr/)**', /cannot be nested/],
  ])('rejects %j', (text, message) => {
    expect(() => parseInline(text)).toThrow(InlineError);
    expect(() => parseInline(text)).toThrow(message);
  });
});
