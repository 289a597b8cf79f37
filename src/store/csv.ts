/**
 * CSV for spreadsheet programs (RFC 4180): CRLF line ends, every cell quoted with its quotes
 * doubled, UTF-8 with a byte-order mark so that Arabic and Dari open right, and a cell that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a return) neutralized with
 * a leading apostrophe.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return CSV_START + [header, ...rows].map(csvLine).join('');
}

/** What a CSV file starts with: the byte-order mark. */
export const CSV_START = '\ufeff';

/** One line of CSV, its CRLF included: to write a file a line at a time. */
export function csvLine(row: ReadonlyArray<string | number | null>): string {
  const cell = (value: string | number | null) => {
    let text = value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return `"${text.replace(/"/g, '""')}"`;
  };
  return `${row.map(cell).join(',')}\r\n`;
}

/**
 * The rows of a table in batches of `batch`, by id (each batch asked with the last id seen): an
 * export of any size holds one batch in memory.
 */
export async function* byId<T extends { id: number }>(next: (after: number, batch: number) => Promise<T[]>, batch = 1000) {
  for (let after = 0; ;) {
    const rows = await next(after, batch);
    if (rows.length) yield rows;
    if (rows.length < batch) return;
    after = rows.at(-1)!.id;
  }
}
