import pino from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { freshnessReport } from '../../src/content/report.js';
import { BASE_URL, realSite } from '../helpers.js';

/** The app as it would answer on a given day (an injected clock: never today's date). */
async function appOn(day: string) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL });
  return createApp({ config, site: await realSite(), logger: pino({ level: 'silent' }), clock: () => new Date(`${day}T12:00:00Z`) });
}

describe('freshness: a guide past its review date says so', () => {
  it('within its review period: no notice on the guide, its handout or its home card', async () => {
    const { catalogue } = await realSite();
    const g = catalogue.get('cnops')!;
    const app = await appOn(g.checkedDate);
    for (const path of ['/ar/guides/cnops', '/ar/guides/cnops/print', '/ar/']) expect((await request(app).get(path)).text, path).not.toContain('data-overdue');
  });

  it.each([
    ['fr', 'franceconnect', 'Le site a peut-être changé depuis', 'décembre 2026'],
    ['ar', 'cnops', 'ربما تغيّر الموقع منذ ذلك الحين', 'نونبر 2026'],
    ['prs', 'aidants-connect', 'شاید سایت از آن زمان تغییر کرده باشد', 'دسمبر 2026'],
    ['en', 'cnss-amo-tadamon', 'The site may have changed since', 'November 2026'],
  ])('past it, in %s (%s): the guide, its handout and its home card say when it was checked and where to check', async (locale, slug, words, month) => {
    const { catalogue } = await realSite();
    const g = catalogue.get(slug)!;
    expect(g.reviewDue > g.checkedDate).toBe(true);
    const app = await appOn(g.reviewDue);
    for (const path of [`/${locale}/guides/${slug}`, `/${locale}/guides/${slug}/print`]) {
      const notice = /<p class="callout callout--warning overdue" data-overdue>([\s\S]*?)<\/p>/.exec((await request(app).get(path)).text)?.[1];
      expect(notice, path).toContain(words);
      expect(notice, path).toContain(month);
      expect(notice, path).toContain(`href="${g.site}"`);
    }
    const home = (await request(app).get(`/${locale}/`)).text;
    const card = new RegExp(`<li class="guide-card">\\s*<a class="guide-card__link" href="/${locale}/guides/${slug}">[\\s\\S]*?</li>`).exec(home)![0];
    expect(card).toMatch(/<p class="guide-card__overdue" data-overdue>[^<]*\d{4}/);
    expect(card.toLowerCase()).toContain(words.toLowerCase());
  });

  it('the content check lists the overdue guides', async () => {
    const { catalogue } = await realSite();
    const due = catalogue.get('franceconnect')!.reviewDue;
    expect(freshnessReport(catalogue, '2026-11-30').filter((l) => l.includes('overdue'))).toEqual([]);
    const report = freshnessReport(catalogue, due);
    expect(report).toContainEqual(expect.stringMatching(/overdue: franceconnect was checked on 2026-12-06; it was due again on 2027-06-06/));
  });
});
