import { diffArrays, diffWordsWithSpace } from "diff";

/**
 * The journal's "compare passes" diff, made to be read.
 *
 * Texts are compared sentence by sentence first (sentences as `Intl.Segmenter` finds them, a
 * line break ends one too). Where sentences changed, the words inside them are compared, and
 * kept word by word only when that reads well: most of the wording is still there and the
 * changes come in a few places. A rewritten sentence is shown whole, the old one struck
 * through and the new one after it, instead of removed and added words interleaved one by one.
 *
 * Joining the same+removed segments always gives back `a` exactly, and same+added gives `b`.
 * Comparison runs through the `diff` package (Myers' algorithm) with a time limit; a part too
 * large or too different to compare in time is shown as removed then added, which is coarser
 * but still exact.
 */
export type DiffOp = "same" | "added" | "removed";
export type DiffSegment = { op: DiffOp; text: string };

/**
 * Word-level inside a changed passage only when at least this share of the shorter side is
 * unchanged (a sentence that grew a clause keeps its words; one said differently does not).
 */
const KEPT_SHARE = 0.5;
/** … and it has at most this many separate changes per sentence. */
const CHANGES_PER_SENTENCE = 2;
/** Passages longer than this are not compared word by word (shown whole). */
const MAX_WORD_DIFF_CHARS = 5_000;
/** Milliseconds one comparison may take before it gives up (then: shown whole). */
const TIMEOUT_MS = 200;

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/** Sentences and the whitespace after each, as separate pieces ("Third." is "Third." at the end
 * of a text and in the middle of one). */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    const body = segment.trimEnd();
    if (body) out.push(body);
    if (body.length < segment.length) out.push(segment.slice(body.length));
  }
  return out;
}

export function diffAnswers(a: string, b: string): DiffSegment[] {
  if (a === b) return a ? [{ op: "same", text: a }] : [];
  const changes = diffArrays(sentences(a), sentences(b), { timeout: TIMEOUT_MS });
  if (!changes) return merge([removed(a), added(b)]);
  const out: DiffSegment[] = [];
  for (let k = 0; k < changes.length; k++) {
    const change = changes[k]!;
    const text = change.value.join("");
    if (!change.added && !change.removed) {
      out.push({ op: "same", text });
      continue;
    }
    const next = changes[k + 1];
    // A passage replaced by another: compare inside it, when that reads well.
    if (change.removed && next?.added) {
      out.push(...replaced(text, next.value.join(""), change.value.length, next.value.length));
      k++;
    } else {
      out.push(change.added ? added(text) : removed(text));
    }
  }
  return merge(out);
}

/** True when the two texts differ (cheap check for "unchanged" labels). */
export function hasChanges(segments: DiffSegment[]): boolean {
  return segments.some((s) => s.op !== "same");
}

function replaced(a: string, b: string, sentencesA: number, sentencesB: number): DiffSegment[] {
  const whole = [removed(a), added(b)];
  if (a.length > MAX_WORD_DIFF_CHARS || b.length > MAX_WORD_DIFF_CHARS) return whole;
  const words = diffWordsWithSpace(a, b, { timeout: TIMEOUT_MS });
  if (!words) return whole;
  let kept = 0;
  let changes = 0;
  let inChange = false;
  for (const part of words) {
    const meaningful = /[\p{L}\p{N}]/u.test(part.value);
    if (!part.added && !part.removed) {
      if (meaningful) {
        kept += part.value.length;
        inChange = false;
      }
    } else if (meaningful && !inChange) {
      changes++;
      inChange = true;
    }
  }
  const readable =
    kept >= KEPT_SHARE * Math.min(a.length, b.length) &&
    changes <= CHANGES_PER_SENTENCE * Math.max(sentencesA, sentencesB);
  if (!readable) return whole;
  return words.map((part) => ({
    op: part.added ? "added" : part.removed ? "removed" : "same",
    text: part.value,
  }));
}

const added = (text: string): DiffSegment => ({ op: "added", text });
const removed = (text: string): DiffSegment => ({ op: "removed", text });

/**
 * Joins neighbours with the same op, and puts a run of changes in one order (what went, then
 * what came), so a replacement reads "removed" then "added".
 */
function merge(segments: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  let gone = "";
  let came = "";
  const flush = () => {
    if (gone) out.push(removed(gone));
    if (came) out.push(added(came));
    gone = "";
    came = "";
  };
  for (const seg of segments) {
    if (!seg.text) continue;
    if (seg.op === "removed") gone += seg.text;
    else if (seg.op === "added") came += seg.text;
    else {
      flush();
      const last = out.at(-1);
      if (last?.op === "same") last.text += seg.text;
      else out.push({ ...seg });
    }
  }
  flush();
  return out;
}
