import { describe, expect, it } from "vitest";
import { type DiffSegment, diffAnswers, hasChanges, sentences } from "@/lib/diff";

const side = (segments: DiffSegment[], keep: "removed" | "added") =>
  segments
    .filter((s) => s.op === "same" || s.op === keep)
    .map((s) => s.text)
    .join("");

/** Every diff must give back both texts exactly. */
function check(a: string, b: string) {
  const segments = diffAnswers(a, b);
  expect(side(segments, "removed")).toBe(a);
  expect(side(segments, "added")).toBe(b);
  // Never two neighbours of one kind, and a replacement always reads removed, then added.
  for (let i = 1; i < segments.length; i++) {
    expect(segments[i]!.op).not.toBe(segments[i - 1]!.op);
    expect(segments[i - 1]!.op === "added" && segments[i]!.op === "removed").toBe(false);
  }
  return segments;
}

const changes = (segments: DiffSegment[]) => segments.filter((s) => s.op !== "same");

describe("diffAnswers", () => {
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

  it("shows a word or two changed inside a sentence word by word", () => {
    expect(check("I call my sister", "I often call my sister")).toEqual([
      { op: "same", text: "I " },
      { op: "added", text: "often " },
      { op: "same", text: "call my sister" },
    ]);
    const segments = check(
      "Work feels lonely today. I eat lunch alone.",
      "Work feels connected today. I eat lunch alone.",
    );
    expect(changes(segments)).toEqual([
      { op: "removed", text: "lonely" },
      { op: "added", text: "connected" },
    ]);
    expect(hasChanges(segments)).toBe(true);
  });

  it("shows a rewritten sentence whole, old then new, instead of interleaved words", () => {
    const a = "I want to call my friends more often. The rest stays.";
    const b = "Calling people takes energy I rarely have after work. The rest stays.";
    expect(check(a, b)).toEqual([
      { op: "removed", text: "I want to call my friends more often." },
      { op: "added", text: "Calling people takes energy I rarely have after work." },
      { op: "same", text: " The rest stays." },
    ]);
  });

  it("keeps unchanged sentences around added and removed ones", () => {
    const segments = check("First. Second one goes. Third.", "First. Third. A new last sentence.");
    expect(segments).toEqual([
      { op: "same", text: "First. " },
      { op: "removed", text: "Second one goes. " },
      { op: "same", text: "Third." },
      { op: "added", text: " A new last sentence." },
    ]);
  });

  it("treats line breaks as sentence ends and punctuation as words", () => {
    expect(sentences("One. Two!\n- a list item\nlast")).toEqual([
      "One.",
      " ",
      "Two!",
      "\n",
      "- a list item",
      "\n",
      "last",
    ]);
    expect(changes(check("Well, I tried.", "Well I tried!"))).toEqual([
      { op: "removed", text: "," },
      { op: "removed", text: "." },
      { op: "added", text: "!" },
    ]);
    check("Café with Zoë\nthen a walk", "Café with Zoë and Ana\nthen a long walk");
  });

  it("finishes on 20,000-word inputs and stays exact", () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `word${i % 997}`);
    const a = words.join(" ");
    // Changes at both ends of one huge sentence: too long to compare word by word, still exact.
    const b = `start ${words.slice(1, -1).join(" ")} finish`;
    check(a, b);
    // Many sentences, one word changed in the middle: found precisely.
    const prose = Array.from({ length: 4000 }, (_, i) => `Sentence ${i} says hello.`).join(" ");
    const edited = prose.replace("Sentence 2000 says hello.", "Sentence 2000 says goodbye.");
    expect(changes(check(prose, edited))).toEqual([
      { op: "removed", text: "hello" },
      { op: "added", text: "goodbye" },
    ]);
    // Every third line changed, and two entirely different long texts.
    const linesA = Array.from({ length: 4000 }, (_, i) => `line ${i} says hello world`).join("\n");
    const linesB = linesA.replace(/hello/g, (m, offset: number) => (offset % 3 ? m : "bye"));
    check(linesA, linesB);
    check(`${linesA}\nextra`, `x ${linesB}`);
    check(prose, linesA);
  });
});
