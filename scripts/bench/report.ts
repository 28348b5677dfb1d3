import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export const RESULTS_DIR = "bench-results";

/** `2026-12-01T16-20Z`: sortable, safe in file names, one file per run. */
export function stamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 16).replace(":", "-")}Z`;
}

/** Writes `<kind>-<stamp>.json` and `.md` under bench-results/; returns their paths. */
export async function writeResults(
  kind: string,
  date: Date,
  json: unknown,
  markdown: string,
): Promise<string[]> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const base = path.join(RESULTS_DIR, `${kind}-${stamp(date)}`);
  await writeFile(`${base}.json`, `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
  return [`${base}.json`, `${base}.md`];
}

type Column<T> = { title: string; value: (row: T) => string; right?: boolean };

/** A GitHub-flavoured markdown table, also readable as plain text in a terminal. */
export function markdownTable<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.max(c.title.length, 3, ...cells.map((r) => r[i]!.length)),
  );
  const line = (values: string[]) =>
    `| ${values
      .map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (columns[i]!.right ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(columns.map((c) => c.title)), rule, ...cells.map(line)].join("\n");
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** A relative change as a signed percentage: "+4.2 %", "−2.5 %". */
export function signed(change: number): string {
  return `${change >= 0 ? "+" : "−"}${Math.abs(change * 100).toFixed(1)} %`;
}

export const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : "—");
export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "—");
