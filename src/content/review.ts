/** The day a guide must be checked again: its checked date plus its review period ("6 months"). */
export function reviewDue(checked: string, every: string): string {
  const [count = '0', unit = ''] = every.split(' ');
  const n = Number(count);
  const d = new Date(`${checked}T00:00:00Z`);
  if (unit.startsWith('day')) d.setUTCDate(d.getUTCDate() + n);
  else if (unit.startsWith('week')) d.setUTCDate(d.getUTCDate() + 7 * n);
  else if (unit.startsWith('month')) d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.toISOString().slice(0, 10);
}

/** Today as an ISO date (UTC), from a clock: tests inject theirs, the server uses the real one. */
export const isoDay = (clock: () => Date) => clock().toISOString().slice(0, 10);
