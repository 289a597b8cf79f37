import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserShare } from '../pages.js';
import { axeViolations, launchChromium, overflow, serveApp } from './chromium.js';

/**
 * axe-core's rules whose outcome depends on colours (its tag cat.color), less color-contrast-enhanced
 * (AAA): the ones run again in the dark scheme.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** What the gate reads of one of axe's violations. */
interface AxeViolation {
  id: string;
  nodes: { target: string[] }[];
}

/**
 * The accessibility and layout gate over the browser pages (test/pages.ts), in shares: each share
 * is a test file of its own (a11y-1, a11y-2), so that both test workers check pages at once.
 */
export async function accessibilityGate(share: number, of: number) {
  let browser: Browser;
  let page: Page;
  let app: Awaited<ReturnType<typeof serveApp>>;
  const pages = await browserShare(share, of);
  let foreign: string[] = [];

  // One browser, one tab: each address is loaded in turn in the same tab (a page of its own each costs more than its check).
  beforeAll(async () => {
    [browser, app] = await Promise.all([launchChromium(), serveApp()]);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    page = await context.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith(app.origin) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  describe(`every kind of page in every language in real Chromium at 360 px (share ${share + 1} of ${of})`, () => {
    it.each(pages)(
      '%s: no axe violation (WCAG 2.2 AA and best practice; the colour rules again in the dark scheme), no horizontal overflow, nothing outside the viewport, no third-party request',
      async (path) => {
        foreign = [];
        await page.goto(`${app.origin}${path}`);
        const violations = await axeViolations(page);
        const layout = await overflow(page);
        // The same page in the dark scheme: only the rules that depend on colours (nothing else changes with it).
        // axe is already in the page (the run above put it there): run it directly, without a second injection.
        let dark: string[];
        try {
          await page.emulateMedia({ colorScheme: 'dark' });
          dark = await page.evaluate(async (values) => {
            const { axe } = window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } };
            const results = await axe.run(document, { runOnly: { type: 'rule', values }, resultTypes: ['violations'] });
            return results.violations.map((v) => `dark ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          }, COLOUR_RULES);
        } finally {
          await page.emulateMedia({ colorScheme: 'light' });
        }
        expect(violations).toEqual([]);
        expect(dark).toEqual([]);
        expect(layout.scroll).toBeLessThanOrEqual(0);
        expect(layout.outside).toEqual([]);
        expect(foreign).toEqual([]);
      },
    );
  });
}
