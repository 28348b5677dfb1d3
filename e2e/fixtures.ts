import { type BrowserContext, test as base, expect } from "@playwright/test";

/**
 * The suite's `test`: every spec imports it instead of Playwright's, so any Content Security
 * Policy violation on any page of any browser context fails the test that caused it. A blocked
 * script is otherwise silent in a browser test (the page may even look right), and the CSP is
 * only worth what the suite proves about it.
 */

export type CspViolation = { page: string; directive: string; blocked: string; source: string };

const BINDING = "__kindredCspViolation";

/**
 * Records the context's CSP violations into `into`: `securitypolicyviolation` events (an init
 * script in every page and frame) and the console errors Chromium prints for them.
 */
export async function watchCsp(context: BrowserContext, into: CspViolation[]): Promise<void> {
  await context.exposeBinding(BINDING, ({ frame }, violation: Omit<CspViolation, "page">) => {
    into.push({ page: frame.url(), ...violation });
  });
  await context.addInitScript((binding) => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as Record<string, (v: unknown) => void>)[binding];
      report?.({
        directive: event.effectiveDirective || event.violatedDirective,
        blocked: event.blockedURI,
        source: `${event.sourceFile}:${event.lineNumber}`,
      });
    });
  }, BINDING);
  context.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" && /Content Security Policy/i.test(text)) {
      into.push({
        page: message.page()?.url() ?? "",
        directive: "console",
        blocked: text,
        source: "",
      });
    }
  });
}

export const test = base.extend<{ cspViolations: CspViolation[]; cspGuard: undefined }>({
  // What the guard found so far in this test (a test may inspect it; see security.spec.ts).
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their deps this way.
  cspViolations: async ({}, use) => {
    await use([]);
  },
  cspGuard: [
    async ({ browser, context, cspViolations }, use) => {
      await watchCsp(context, cspViolations);
      // Contexts a test opens itself (a second browser, another role) are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof newContext>) => {
        const created = await newContext(...args);
        await watchCsp(created, cspViolations);
        return created;
      };
      try {
        await use(undefined);
      } finally {
        browser.newContext = newContext;
      }
      expect(cspViolations, "Content Security Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
