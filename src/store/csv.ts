/**
 * CSV for spreadsheet programs (RFC 4180): CRLF line ends, every cell quoted with its quotes
 * doubled, UTF-8 with a byte-order mark so that Arabic and Dari open right, and a cell that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a return) neutralized with
 * a leading apostrophe.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const cell = (value: string | number | null) => {
    let text = value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return `"${text.replace(/"/g, '""')}"`;
  };
  return `\ufeff${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
