import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Express } from 'express';
import { type ConfigData, HtmlValidate } from 'html-validate';
import stylelint from 'stylelint';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, realSite, testApp } from '../helpers.js';
import { allPages } from '../pages.js';

let app: Express;
beforeAll(async () => {
  app = await testApp();
});
const pages = await allPages();
const htmlValidate = new HtmlValidate(JSON.parse(readFileSync(join(ROOT, '.htmlvalidate.json'), 'utf8')) as ConfigData);

const { catalogue, i18n, registry } = await realSite();
/** The languages translations.yaml records as reviewed by a named person, in any guide. */
const reviewed = new Set(
  catalogue.guides.flatMap((g) =>
    Object.entries(parse(readFileSync(join(ROOT, 'content/guides', g.slug, 'translations.yaml'), 'utf8')) as Record<string, { status: string }>).flatMap(
      ([l, e]) => (e.status === 'reviewed' ? [l] : []),
    ),
  ),
);
/** A UI string as a pattern: its placeholders stand for anything. */
const pattern = (template: string) => new RegExp(template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\{\w+\}\}/g, '[\\s\\S]*?'));

// Every page the site serves, each fetched once for both checks.
describe('served HTML validates (html-validate, recommended rules) and claims no review nobody made', () => {
  it.each(pages)('%s', async (path) => {
    const res = await request(app).get(path);
    const report = await htmlValidate.validateString(res.text);
    const errors = report.results.flatMap((r) => r.messages).map((m) => `${m.ruleId} line ${m.line}: ${m.message}`);
    expect(errors).toEqual([]);
    // A page says a text was reviewed only where translations.yaml records it with a person's name.
    const locale = path.split('/')[1]!;
    if (!registry.get(locale) || reviewed.has(locale)) return;
    const t = i18n.t(locale);
    expect(res.text).not.toMatch(pattern(t('provenance.reviewed')));
    expect(res.text).not.toMatch(pattern(t('provenance.reviewedChanged')));
    // The words of the old stamp, a review nobody made.
    expect(res.text).not.toMatch(/independent editor|relecteur indépendant|مدقّق مستقل|ویراستار مستقل|خپلواک ایډیټر/);
  });
});

describe('stylesheet', () => {
  const config = JSON.parse(readFileSync(join(ROOT, '.stylelintrc.json'), 'utf8')) as stylelint.Config;

  it('uses logical properties only (stylelint)', async () => {
    const result = await stylelint.lint({ files: join(ROOT, 'public/**/*.css'), config });
    const warnings = result.results.flatMap((r) => r.warnings.map((w) => `${r.source}:${w.line} ${w.text}`));
    expect(warnings).toEqual([]);
  });

  it.each([
    ['.x { margin-left: 1rem; }', 'property-disallowed-list'],
    ['.x { padding-right: 1rem; }', 'property-disallowed-list'],
    ['.x { left: 0; }', 'property-disallowed-list'],
    ['.x { float: right; }', 'property-disallowed-list'],
    ['.x { text-align: left; }', 'declaration-property-value-disallowed-list'],
    ['.x { margin: 0 1rem 0 2rem; }', 'declaration-property-value-disallowed-list'],
    ['/* stylelint-disable-next-line property-disallowed-list */\n.x { margin-left: 1rem; }', '--report-descriptionless-disables'],
  ])('rejects %j', async (code, rule) => {
    const result = await stylelint.lint({ code, config });
    const problems = [
      ...result.results.flatMap((r) => r.warnings.map((w) => w.rule)),
      ...(result.descriptionlessDisables ?? []).flatMap((d) => d.ranges).map(() => '--report-descriptionless-disables'),
    ];
    expect(problems).toContain(rule);
  });

  it('loads no web font', () => {
    expect(readFileSync(join(ROOT, 'public/css/site.css'), 'utf8')).not.toMatch(/@font-face|@import|url\(/);
  });
});

describe('page weight', () => {
  it('each guide page, HTML, CSS and scripts compressed, weighs at most 30 KB, with no render-blocking script (deferred ones only)', async () => {
    const { catalogue } = await realSite();
    // The stylesheet, and the scripts a guide page loads: the offline reader, the in-place answer to "does your screen look like this?", read-aloud, "send to a phone".
    const css = ['public/css/site.css', 'public/js/offline.js', 'public/js/feedback.js', 'public/js/listen.js', 'public/js/share.js'].reduce(
      (n, f) => n + gzipSync(readFileSync(join(ROOT, f))).length,
      0,
    );
    const rows: string[] = [];
    for (const g of catalogue.guides) {
      for (const l of g.languages) {
        const html = (await request(app).get(`/${l.id}/guides/${g.slug}`)).text;
        const size = gzipSync(html).length;
        rows.push(
          `${`/${l.id}/guides/${g.slug}`.padEnd(34)} html ${(size / 1024).toFixed(1).padStart(5)} KB + css and js ${(css / 1024).toFixed(1)} KB = ${((size + css) / 1024).toFixed(1)} KB (gzip)`,
        );
        expect(size + css, `${l.id}/${g.slug}`).toBeLessThanOrEqual(30 * 1024);
        expect(/<head>[\s\S]*<\/head>/.exec(html)![0]).not.toContain('<script');
        // Deferred scripts of this site only, at the end of the page: the offline reader, read-aloud, "send to a phone", and the feedback one where the page has a form.
        const scripts = html.match(/<script\b[^>]*>/g) ?? [];
        expect(
          scripts.every((tag) => /^<script src="\/assets\/js\/(offline|feedback|listen|share)\.[0-9a-f]{10}\.js" defer>$/.test(tag)),
          scripts.join(' '),
        ).toBe(true);
        for (const name of ['offline', 'listen', 'share']) expect(scripts.filter((tag) => tag.includes(`/${name}.`))).toHaveLength(1);
        expect(scripts.some((tag) => tag.includes('/feedback.'))).toBe(html.includes('data-screen-check'));
      }
    }
    console.log(`page weight:\n${rows.join('\n')}`);
  });
});
