// Adds up the runners' JSON reports into one closing line: "N passed, N failed, N skipped".
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? "test-results";
let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of ["vitest-unit.json", "vitest-integration.json", "vitest-instances.json"]) {
  const file = path.join(dir, name);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
const pw = path.join(dir, "playwright.json");
if (existsSync(pw)) {
  const stats = JSON.parse(readFileSync(pw, "utf8")).stats;
  passed += stats.expected;
  failed += stats.unexpected + stats.flaky;
  skipped += stats.skipped;
}
const line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
console.log(`\n${line}`);
writeFileSync(path.join(dir, "summary.txt"), `${line}\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
