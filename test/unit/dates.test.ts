import { describe, expect, it } from 'vitest';
import { formatDate } from '../../src/render/dates.js';
import { realSite } from '../helpers.js';

const { registry } = await realSite();
const l = (id: string) => registry.get(id)!;

describe('dates as each country writes them', () => {
  it.each([
    // language, country of the guide, date, expected
    ['ar', 'MA', '2026-11-23', '23 نونبر 2026'],
    ['ar', 'MA', '2026-12-01', '1 دجنبر 2026'],
    ['ar', 'MA', '2026-09-15', '15 شتنبر 2026'],
    ['ar', 'FR', '2026-11-23', '23 نوفمبر 2026'],
    ['ar', 'FR', '2026-12-01', '1 ديسمبر 2026'],
    // Dari: the Gregorian calendar with the month names used in Afghanistan, Western digits.
    ['prs', 'FR', '2026-12-01', '1 دسمبر 2026'],
    ['prs', 'FR', '2026-09-15', '15 سپتمبر 2026'],
    // Pashto: as Afghan Pashto writes a date (the registry's datePattern), not Intl's "2026 نومبر 23".
    ['ps', 'FR', '2026-11-23', 'د 2026 کال د نومبر په 23مه'],
    ['ps', 'FR', '2026-12-01', 'د 2026 کال د دسمبر په 1مه'],
    ['fr', 'MA', '2026-11-23', '23 novembre 2026'],
    ['en', 'FR', '2026-11-23', '23 November 2026'],
  ])('%s on a %s guide: %s → %s', (id, country, date, expected) => {
    expect(formatDate(date, l(id), country)).toBe(expected);
  });
});
