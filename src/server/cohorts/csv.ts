/**
 * CSV (RFC 4180) for spreadsheets: every cell quoted, quotes doubled, CRLF line ends, and a
 * leading ', before anything a spreadsheet would run as a formula (= + - @, tab, CR), so a
 * member named "=HYPERLINK(…)" stays text.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csv(rows: (string | number | null | undefined)[][]): string {
  return `${rows.map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
