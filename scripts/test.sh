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
npm run --silent check:bundles
step "end-to-end tests (Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npx playwright test --reporter=list,json,html

node scripts/test-summary.mjs "$results"
