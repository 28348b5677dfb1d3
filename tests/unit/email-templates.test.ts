import { describe, expect, it } from "vitest";
import { renderEmail } from "@/server/email/render";
import { EMAIL_SAMPLES } from "@/server/email/samples";

/**
 * Every email with its sample data, kept as snapshots of its subject, plain text and HTML: a
 * change to any template shows up in review as a diff (update with `vitest -u` when intended).
 * Each also has the basics every email needs.
 */
describe("email templates", () => {
  for (const [name, template] of Object.entries(EMAIL_SAMPLES)) {
    it(`${name} renders as before`, async () => {
      const { subject, html, text } = await renderEmail(template);
      expect(subject.length).toBeGreaterThan(5);
      expect(html).toContain('lang="en"');
      // One clear action, in both parts.
      expect(html).toMatch(/<a [^>]*href="https:\/\/kindred\.example[^"]*"/);
      expect(text).toContain("https://kindred.example");
      if ("links" in template && template.links) {
        expect(html).toContain("/email/preferences?t=");
        expect(html).toContain("/api/email/unsubscribe?t=");
      }
      expect({ subject, text }).toMatchSnapshot();
      expect(html).toMatchSnapshot();
    });
  }
});
