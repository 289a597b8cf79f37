import type { Catalogue } from './catalogue.js';

/**
 * What the content check prints besides coverage: guides past their review date (their pages say
 * the site may have changed), and translations whose reference texts changed since they were checked.
 */
export function freshnessReport(catalogue: Catalogue, today: string): string[] {
  const lines: string[] = [];
  for (const g of catalogue.guides) {
    if (today >= g.reviewDue) lines.push(`  overdue: ${g.slug} was checked on ${g.checkedDate}; it was due again on ${g.reviewDue}`);
    for (const [id, t] of g.translations) {
      if (t.changed.length) {
        const shown = t.changed.slice(0, 5).join(', ') + (t.changed.length > 5 ? `, … (${t.changed.length} in all)` : '');
        lines.push(`  translation older than the ${g.reference.id} text: ${g.slug} ${id}: ${shown}; shown as not yet reviewed until checked again (npm run content:stamp)`);
      }
    }
  }
  return lines;
}
