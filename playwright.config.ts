import { defineConfig, devices } from "@playwright/test";
import { E2E } from "./e2e/config";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "./scripts/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: E2E.baseUrl,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    // The app registers a service worker (public/sw.js, the offline page). page.route() does
    // not see what a worker fetches, so it is off by default; e2e/shell.spec.ts turns it on.
    serviceWorkers: "block",
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_FLAGS,
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: "node --import tsx e2e/server.ts",
    url: `${E2E.baseUrl}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
