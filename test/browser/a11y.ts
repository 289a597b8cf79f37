import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserShare } from '../pages.js';
import { launchChromium, overflow, serveApp } from './chromium.js';

/**
 * The accessibility and layout gate over the browser pages (test/pages.ts), in shares: each share
 * is a test file of its own (a11y-1, a11y-2), so that both test workers check pages at once.
 */
export async function accessibilityGate(share: number, of: number) {
  let browser: Browser;
  let context: BrowserContext;
  let app: Awaited<ReturnType<typeof serveApp>>;
  const pages = await browserShare(share, of);

  beforeAll(async () => {
    [browser, app] = await Promise.all([launchChromium(), serveApp()]);
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  describe(`every kind of page in every language in real Chromium at 360 px (share ${share + 1} of ${of})`, () => {
    it.each(pages)(
      '%s: no axe violation (WCAG 2.2 AA and best practice), no horizontal overflow, nothing outside the viewport, no third-party request',
      async (path) => {
        const page = await context.newPage();
        const foreign: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith(app.origin) && !r.url().startsWith('data:')) foreign.push(r.url());
        });
        await page.goto(`${app.origin}${path}`);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
        const violations = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        const layout = await overflow(page);
        await page.close();
        expect(violations).toEqual([]);
        expect(layout.scroll).toBeLessThanOrEqual(0);
        expect(layout.outside).toEqual([]);
        expect(foreign).toEqual([]);
      },
    );
  });
}
