/** The identity-provider checker: which cards of a checklist does the reader meet in full? */

export interface ChecklistItem {
  key: string;
  checks: readonly string[];
  status: 'current' | 'withdrawn' | 'new';
}

export interface ItemResult {
  key: string;
  status: ChecklistItem['status'];
  /** What the reader lacks for this item, in the card's order. */
  missing: string[];
}

export interface ChecklistResult {
  /** Items still offered whose every check the reader has. */
  matches: ItemResult[];
  /** Items still offered with at least one check missing. */
  others: ItemResult[];
  /** Items no longer offered: never a match, whatever the reader has. */
  withdrawn: ItemResult[];
  /** Items whose requirements the guide does not list (new since the leaflet). */
  unknown: ItemResult[];
}

export function checkItems(items: readonly ChecklistItem[], has: ReadonlySet<string>): ChecklistResult {
  const result: ChecklistResult = { matches: [], others: [], withdrawn: [], unknown: [] };
  for (const item of items) {
    const r = { key: item.key, status: item.status, missing: item.checks.filter((c) => !has.has(c)) };
    if (item.status === 'withdrawn') result.withdrawn.push(r);
    else if (item.checks.length === 0) result.unknown.push(r);
    else if (r.missing.length === 0) result.matches.push(r);
    else result.others.push(r);
  }
  return result;
}

/**
 * Every check an item still offered asks for, in first-seen order: the values the checker's form
 * offers. A requirement only a withdrawn item has leads nowhere, so it is not asked.
 */
export function allChecks(items: readonly ChecklistItem[]): string[] {
  return [...new Set(items.filter((i) => i.status !== 'withdrawn').flatMap((i) => i.checks))];
}
