import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  charProblem,
  INT32_MAX,
  INT32_MIN,
  id,
  integer,
  isoDay,
  jsonObject,
  jsonProblem,
  jsonValue,
  text,
} from "@/lib/input";

const messages = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe("charProblem", () => {
  it("refuses every C0 control and DEL; multi-line text keeps tab, LF and CR", () => {
    for (let c = 0; c < 0x20; c++) {
      const ch = String.fromCharCode(c);
      const whitespace = ch === "\t" || ch === "\n" || ch === "\r";
      expect(charProblem(`a${ch}b`, true), `U+${c.toString(16)}`).toBe(
        whitespace ? null : "control",
      );
      expect(charProblem(`a${ch}b`, false)).not.toBeNull();
    }
    expect(charProblem("a\u007fb", true)).toBe("control");
    expect(charProblem("one\ntwo", false)).toBe("line-break");
  });

  it("refuses lone surrogates anywhere, and accepts pairs", () => {
    expect(charProblem("😀 fine", false)).toBeNull();
    for (const bad of ["\ud800", "x\udbff", "\udc00x", "\ude00\ud83d", "😀\ud83d"]) {
      expect(charProblem(bad, true), JSON.stringify(bad)).toBe("surrogate");
    }
  });
});

describe("text", () => {
  const title = text({ label: "The title", min: 1, max: 10 });
  const note = text({ label: "The note", max: 100, multiline: true });

  it("names the field in each message", () => {
    expect(messages(title, "a\u0000b")).toEqual([
      "The title contains an invisible control character; remove it and try again.",
    ]);
    expect(messages(title, "a\nb")).toEqual(["The title must be a single line."]);
    expect(messages(title, "\ud800")).toEqual([
      "The title contains a broken character (half of an emoji or symbol); remove it and try again.",
    ]);
    expect(messages(title, "   ")).toEqual(["The title cannot be empty."]);
    expect(messages(title, "x".repeat(11))).toEqual(["The title can be at most 10 characters."]);
    expect(messages(title, undefined)).toEqual(["The title is missing."]);
    expect(messages(title, 5)).toEqual(["The title must be text."]);
  });

  it("checks characters before trimming, so an edge is no hiding place", () => {
    // JavaScript's trim() removes U+000B and U+000C: trimming first would accept these.
    expect(messages(title, "Title\u000b")).toHaveLength(1);
    expect(messages(title, "\u000cTitle")).toHaveLength(1);
    expect(title.parse("  Title  ")).toBe("Title");
  });

  it("lets multi-line text keep its line breaks and tabs", () => {
    expect(note.parse("one\r\ntwo\tthree")).toBe("one\r\ntwo\tthree");
    expect(messages(note, "one\u0000")).toHaveLength(1);
  });

  it("can replace the default messages and chain a pattern", () => {
    const slug = text({ label: "The address", max: 20, messages: { max: "Too long." } }).regex(
      /^[a-z-]+$/,
      "Lowercase only.",
    );
    expect(messages(slug, "x".repeat(21))).toEqual(["Too long."]);
    expect(messages(slug, "Nope")).toEqual(["Lowercase only."]);
  });
});

describe("integer", () => {
  it("refuses NaN, infinities, fractions and anything past 32 bits", () => {
    const any = integer();
    for (const bad of [Number.NaN, Infinity, -Infinity, 1.5, 2 ** 31, INT32_MIN - 1, 2 ** 53]) {
      expect(any.safeParse(bad).success, String(bad)).toBe(false);
    }
    expect(any.parse(INT32_MAX)).toBe(INT32_MAX);
    expect(any.parse(INT32_MIN)).toBe(INT32_MIN);
    expect(any.safeParse("1").success).toBe(false);
  });

  it("keeps a tighter range, and never a wider one", () => {
    expect(integer({ min: 1, max: 10 }).safeParse(11).success).toBe(false);
    expect(integer({ max: 2 ** 40 }).safeParse(2 ** 31).success).toBe(false);
  });
});

describe("id and isoDay", () => {
  it("accepts row ids and refuses anything else", () => {
    const step = id("The step");
    expect(step.parse("cmx4xga2a0000hd7d8ev44joe")).toBe("cmx4xga2a0000hd7d8ev44joe");
    expect(messages(step, "")).toEqual(["The step is missing."]);
    for (const bad of ["a b", "a\u0000", "x".repeat(65), "../etc", "a'b"]) {
      expect(messages(step, bad), bad).toEqual(["The step is not valid."]);
    }
  });

  it("accepts only days that exist", () => {
    expect(isoDay().parse("2028-02-29")).toBe("2028-02-29");
    expect(isoDay().safeParse("2026-02-29").success).toBe(false);
    expect(isoDay().safeParse("2026-01-01\u0000").success).toBe(false);
  });
});

describe("free-form JSON", () => {
  const limits = { maxDepth: 3, maxNodes: 20, maxChars: 50 };

  it("accepts plain JSON, with undefined as an absent property", () => {
    expect(jsonProblem({ a: [1, "x", null, true], b: { c: undefined } }, "It", limits)).toBeNull();
  });

  it("names where the problem is", () => {
    expect(jsonProblem({ a: ["ok", "no\u0000"] }, "The answer", limits)).toEqual({
      path: ["a", 1],
      message: "The answer contains an invisible control character; remove it and try again.",
    });
    expect(jsonProblem({ "k\ud800": 1 }, "The answer", limits)?.message).toMatch(
      /^A name in the answer contains a broken character/,
    );
  });

  it.each([
    ["NaN", { a: Number.NaN }, "The answer holds a number that is not finite."],
    ["a Date", { a: new Date(0) }, "The answer holds a value that is not JSON."],
    ["a Map", { a: new Map() }, "The answer holds a value that is not JSON."],
    ["a BigInt", { a: 1n }, "The answer holds a value that is not JSON."],
    ["undefined in an array", [undefined], "The answer holds a value that is not JSON."],
    ["nesting", { a: { b: { c: { d: 1 } } } }, "The answer is nested too deeply."],
    ["too many parts", { a: Array(30).fill(1) }, "The answer is too large."],
    ["too many characters", { a: "x".repeat(51) }, "The answer is too large."],
    ["__proto__", JSON.parse('{"__proto__": 1}'), "The answer may not use the name “__proto__”."],
    ["constructor", { constructor: 1 }, "The answer may not use the name “constructor”."],
    ["prototype", { a: { prototype: 1 } }, "The answer may not use the name “prototype”."],
  ])("refuses %s", (_, value, message) => {
    expect(jsonProblem(value, "The answer", limits)?.message).toBe(message);
  });

  it("stops at a cycle instead of overflowing the stack", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(jsonProblem(cycle, "It", limits)?.message).toBe("It is nested too deeply.");
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(jsonProblem(deep, "It")?.message).toBe("It is nested too deeply.");
  });

  it("checks only the shape in shapeOnly mode, where a Date may be a part but not the whole", () => {
    const shape = (v: unknown) => jsonProblem(v, "The input", limits, { shapeOnly: true });
    expect(shape({ at: new Date(0), text: "a\u0000", n: Number.NaN })).toBeNull();
    expect(shape(new Date(0))?.message).toBe("The input holds a value that is not JSON.");
    expect(shape({ s: new Set() })?.message).toBe("The input holds a value that is not JSON.");
    expect(shape({ constructor: "x" })?.message).toMatch(/constructor/);
  });

  it("puts its messages on the field when used as a schema", () => {
    const schema = z.object({
      content: jsonObject("The draft"),
      config: jsonValue("The settings"),
    });
    const result = schema.safeParse({ content: { a: "\u0000" }, config: Number.NaN });
    expect(result.success).toBe(false);
    expect(z.flattenError(result.error!).fieldErrors).toEqual({
      content: ["The draft contains an invisible control character; remove it and try again."],
      config: ["The settings holds a number that is not finite."],
    });
    expect(messages(jsonObject("The draft"), [])).toEqual(["The draft is missing."]);
  });
});
