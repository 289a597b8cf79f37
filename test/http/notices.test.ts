import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/catalogue.js';
import { ROOT, realSite } from '../helpers.js';

/** The app serving the fixture guide, which carries a dated notice of a change with its source. */
async function fixtureApp() {
  const site = await realSite();
  const fixture = join(ROOT, 'test/fixtures/content');
  const catalogue = loadContent(fixture, site.registry, fixture);
  return createApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), site: { ...site, catalogue }, logger: pino({ level: 'silent' }) });
}

describe('dated notices', () => {
  it.each([
    ['en', 'The service is suspended until further notice.', '(dated 10 January 2026)'],
    ['fr', 'Le service est suspendu jusqu’à nouvel ordre.', '(du 10 janvier 2026)'],
    ['prs', 'این خدمت تا اطلاع بعدی متوقف است.', '(به تاریخ 10 جنوری 2026)'],
  ])('%s: a notice shows its text, its date and its source', async (locale, text, date) => {
    const html = (await request(await fixtureApp()).get(`/${locale}/guides/sample`)).text.replaceAll('<wbr>', '');
    const callout = /<div class="callout callout--warning">[\s\S]*?<\/div>/.exec(html)![0];
    expect(callout).toContain(text);
    expect(callout).toContain(date);
    expect(callout).toContain('<a class="url" href="https://www.example.gouv.fr/actualites" dir="ltr">www.example.gouv.fr/actualites</a>');
  });
});
