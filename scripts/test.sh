#!/usr/bin/env bash
# Every test Kindred has: lint, typecheck, unit, integration (real PostgreSQL when
# TEST_DATABASE_URL or DATABASE_URL is set, embedded PGlite otherwise), a production build, the
# several-instances test (it serves that build) and the Playwright e2e suite in Debian's
# Chromium against the app as `npm start` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
results=test-results
mkdir -p "$results"
rm -f "$results"/vitest-*.json "$results"/playwright.json

step() { printf '\n== %s ==\n' "$*"; }

chromium_path=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium_path" ]; then
  echo "Chromium is missing at $chromium_path: install it with 'apt-get install -y chromium'" >&2
  echo "(or point CHROMIUM_PATH at a Chromium binary)." >&2
  exit 1
fi

step "lint (biome)"
npx biome check .
step "typecheck (tsc)"
npx tsc --noEmit
step "unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile="$results/vitest-unit.json"
step "integration tests"
npx vitest run --project integration --reporter=default --reporter=json \
  --outputFile="$results/vitest-integration.json"
step "production build"
npx next build
step "several instances (two web processes, two workers, one database, from the build)"
npx vitest run --project instances --reporter=default --reporter=json \
  --outputFile="$results/vitest-instances.json"
step "JS budgets (first-load JS per page, gzip, from the build)"
# Today the public pages are over their 120 kB budget (the issue 7 work brings them down), so an
# overage is printed, route by route, but does not fail the suite yet. The team lead makes it
# fatal by removing the `|| echo …` once every page is within budget.
npm run --silent check:bundles || echo "JS budgets exceeded: see the pages listed above (not fatal yet)"
step "end-to-end tests (Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npx playwright test --reporter=list,json,html

node scripts/test-summary.mjs "$results"
