import { markdownTable } from "./bench/report";
import { checkBudgets, kb, measureRoutes, overageMessage } from "./bundles/measure";

/**
 * `npm run check:bundles`: first-load JS (gzip) of every page of the last `next build`, against
 * the budgets (120 kB public, 180 kB signed-in; 1 kB = 1,000 bytes). Exits 1 naming each page
 * over its budget and by how much. Bytes are deterministic, so this can gate CI where timings
 * cannot. How the bytes are found: scripts/bundles/measure.ts.
 */
const verdicts = checkBudgets(measureRoutes(process.argv[2] ?? ".next"));
console.log(
  markdownTable(verdicts, [
    { title: "route", value: (v) => v.route },
    { title: "first-load JS (gzip)", value: (v) => kb(v.gzip), right: true },
    { title: "own (not shared)", value: (v) => kb(v.own), right: true },
    { title: "raw", value: (v) => kb(v.raw), right: true },
    { title: "budget", value: (v) => (v.budget ? `${kb(v.budget.limit)} ${v.budget.kind}` : "—") },
    { title: "over by", value: (v) => (v.over > 0 ? kb(v.over) : ""), right: true },
  ]),
);
const over = verdicts.filter((v) => v.over > 0);
if (over.length > 0) {
  console.error(`\n${over.length} page(s) over their JS budget:`);
  for (const v of over) console.error(`  ${overageMessage(v)}`);
  process.exit(1);
}
console.log("\nevery page is within its JS budget");
