import type { Catalogue } from './catalogue.js';

/**
 * What the content check prints besides coverage: guides past their review date (their pages say
 * the site may have changed), and languages whose reference texts changed since their provenance was recorded.
 */
export function freshnessReport(catalogue: Catalogue, today: string): string[] {
  const lines: string[] = [];
  for (const g of catalogue.guides) {
    if (today >= g.reviewDue) lines.push(`  overdue: ${g.slug} was checked on ${g.checkedDate}; it was due again on ${g.reviewDue}`);
    for (const [id, p] of g.provenance) {
      if (p.changed.length) {
        const shown = p.changed.slice(0, 5).join(', ') + (p.changed.length > 5 ? `, … (${p.changed.length} in all)` : '');
        const then = p.status === 'reviewed' ? `checked by ${p.by} on ${p.date}; its page says the ${g.reference.id} text changed since` : `recorded as ${p.status}`;
        lines.push(`  text older than the ${g.reference.id} text: ${g.slug} ${id}: ${shown}; ${then} (npm run content:stamp once it is brought up to date)`);
      }
    }
  }
  return lines;
}
