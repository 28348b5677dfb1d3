import { describe, expect, it } from "vitest";
import { practiceKey } from "@/components/programs-editor/kinds";
import { SLUG_PATTERN } from "@/server/programs/schemas";
import { slugify } from "@/server/programs/slugs";

describe("program slugs", () => {
  it("turns any title into a valid address", () => {
    expect(slugify("Building Community, Intentionally")).toBe("building-community-intentionally");
    expect(slugify("Ünïcödé — Straße")).toBe("unicode-strasse");
    expect(slugify("!!!")).toBe("program");
    expect(slugify("   ")).toBe("program");
    const long = slugify(`${"word ".repeat(40)}end`);
    expect(long.length).toBeLessThanOrEqual(74);
    for (const title of ["A--B", "-x-", "Ça va?", "a".repeat(200), "1 2 3"]) {
      expect(slugify(title)).toMatch(SLUG_PATTERN);
      expect(`${slugify(title)}-12`.length).toBeLessThanOrEqual(80);
    }
  });

  it("gives practices stable, unique keys", () => {
    const taken = new Set(["be-open"]);
    expect(practiceKey("Be open", taken)).toBe("be-open-2");
    expect(practiceKey("Make the first move!", taken)).toBe("make-the-first-move");
    expect(practiceKey("???", new Set())).toBe("practice");
    expect(practiceKey("x".repeat(80), new Set())).toMatch(/^[a-z0-9-]{1,40}$/);
  });
});
