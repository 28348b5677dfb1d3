import { describe, expect, it } from "vitest";
import { type DiffSegment, diffWords, hasChanges, tokenize } from "@/lib/diff";

const side = (segments: DiffSegment[], keep: "removed" | "added") =>
  segments
    .filter((s) => s.op === "same" || s.op === keep)
    .map((s) => s.text)
    .join("");

/** Every diff must give back both texts exactly. */
function check(a: string, b: string) {
  const segments = diffWords(a, b);
  expect(side(segments, "removed")).toBe(a);
  expect(side(segments, "added")).toBe(b);
  return segments;
}

describe("diffWords", () => {
  it("handles empty texts", () => {
    expect(check("", "")).toEqual([]);
    expect(check("", "hello there")).toEqual([{ op: "added", text: "hello there" }]);
    expect(check("hello there", "")).toEqual([{ op: "removed", text: "hello there" }]);
  });

  it("returns one same segment for identical texts", () => {
    const segments = check("I miss my old team.", "I miss my old team.");
    expect(segments).toEqual([{ op: "same", text: "I miss my old team." }]);
    expect(hasChanges(segments)).toBe(false);
  });

  it("finds an inserted word", () => {
    expect(check("I call my sister", "I often call my sister")).toEqual([
      { op: "same", text: "I " },
      { op: "added", text: "often " },
      { op: "same", text: "call my sister" },
    ]);
  });

  it("finds a deleted word", () => {
    expect(check("I rarely ever call", "I rarely call")).toEqual([
      { op: "same", text: "I rarely " },
      { op: "removed", text: "ever " },
      { op: "same", text: "call" },
    ]);
  });

  it("shows a replacement as removed then added", () => {
    const segments = check("work feels lonely today", "work feels connected today");
    expect(segments).toEqual([
      { op: "same", text: "work feels " },
      { op: "removed", text: "lonely" },
      { op: "added", text: "connected" },
      { op: "same", text: " today" },
    ]);
    expect(hasChanges(segments)).toBe(true);
  });

  it("treats punctuation as its own token and keeps contractions whole", () => {
    expect(tokenize("Well, don't stop!")).toEqual(["Well", ",", " ", "don't", " ", "stop", "!"]);
    expect(check("Well, I tried.", "Well I tried!")).toEqual([
      { op: "same", text: "Well" },
      { op: "removed", text: "," },
      { op: "same", text: " I tried" },
      { op: "removed", text: "." },
      { op: "added", text: "!" },
    ]);
  });

  it("diffs across lines and unicode words", () => {
    check("Café with Zoë\nthen a walk", "Café with Zoë and Ana\nthen a long walk");
  });

  it("finishes on 20,000-word inputs and stays exact", () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `word${i % 997}`);
    const a = words.join(" ");
    // Changes at both ends defeat prefix/suffix trimming; the fallback must still be exact.
    const b = `start ${words.slice(1, -1).join(" ")} finish`;
    check(a, b);
    // A single change in the middle of a huge text is found precisely.
    const c = [...words.slice(0, 10_000), "CHANGED", ...words.slice(10_001)].join(" ");
    const segments = check(a, c);
    expect(segments.filter((s) => s.op !== "same")).toEqual([
      { op: "removed", text: words[10_000] },
      { op: "added", text: "CHANGED" },
    ]);
    // Many lines, each slightly changed: the line-level pass keeps it fast and exact.
    const linesA = Array.from({ length: 4000 }, (_, i) => `line ${i} says hello world`).join("\n");
    const linesB = linesA.replace(/hello/g, (m, offset: number) => (offset % 3 ? m : "bye"));
    check(linesA, linesB);
    check(`${linesA}\nextra`, `x ${linesB}`);
  });
});
