/**
 * Word-level diff for the journal's "compare passes" view.
 *
 * Texts are split into word, whitespace and punctuation tokens; the longest common subsequence
 * of tokens is "same", the rest "removed" (only in a) or "added" (only in b). Joining the
 * same+removed segments gives back a exactly, same+added gives b.
 *
 * Answers can be up to 20,000 characters, so the quadratic table is bounded: common prefix and
 * suffix are trimmed first (passes usually differ in a few places), and when the rest is still
 * too large we diff whole lines first and only re-diff changed lines that fit, falling back to
 * "all of a removed, all of b added" for the remainder. The result is always correct, only
 * coarser for huge, very different texts.
 */
export type DiffOp = "same" | "added" | "removed";
export type DiffSegment = { op: DiffOp; text: string };

/** Cells of the LCS table we allow (Uint16 counts: about 5 MB). */
const MAX_CELLS = 2_500_000;

// A word (letters/digits, with inner apostrophes like "don't"), a whitespace run, or any other
// single character (punctuation), so "well," and "well" share the word.
const TOKEN = /\s+|[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[^\s]/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function diffWords(a: string, b: string): DiffSegment[] {
  return merge(diffTokens(tokenize(a), tokenize(b), true));
}

/** True when the two texts differ (cheap check for "unchanged" labels). */
export function hasChanges(segments: DiffSegment[]): boolean {
  return segments.some((s) => s.op !== "same");
}

function diffTokens(a: string[], b: string[], allowCoarse: boolean): DiffSegment[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffSegment[] = [];
  if (start > 0) out.push({ op: "same", text: a.slice(0, start).join("") });
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length === 0) {
    if (midB.length) out.push({ op: "added", text: midB.join("") });
  } else if (midB.length === 0) {
    out.push({ op: "removed", text: midA.join("") });
  } else if (midA.length * midB.length <= MAX_CELLS) {
    out.push(...lcs(midA, midB));
  } else if (allowCoarse) {
    out.push(...byLines(midA, midB));
  } else {
    out.push({ op: "removed", text: midA.join("") }, { op: "added", text: midB.join("") });
  }
  if (endA < a.length) out.push({ op: "same", text: a.slice(endA).join("") });
  return out;
}

/** Classic LCS table over interned tokens, then a walk back from the end. */
function lcs(a: string[], b: string[]): DiffSegment[] {
  const ids = new Map<string, number>();
  const intern = (t: string) => {
    let id = ids.get(t);
    if (id === undefined) {
      id = ids.size;
      ids.set(t, id);
    }
    return id;
  };
  const x = a.map(intern);
  const y = b.map(intern);
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  // table[i][j] = LCS length of x[i..] and y[j..]; bounded by min(n, m) <= sqrt(MAX_CELLS).
  const table = new Uint16Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * w + j] =
        x[i] === y[j]
          ? table[(i + 1) * w + j + 1]! + 1
          : Math.max(table[(i + 1) * w + j]!, table[i * w + j + 1]!);
    }
  }
  const out: DiffSegment[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ op: "same", text: a[i]! });
      i++;
      j++;
    } else if (table[(i + 1) * w + j]! >= table[i * w + j + 1]!) {
      out.push({ op: "removed", text: a[i]! });
      i++;
    } else {
      out.push({ op: "added", text: b[j]! });
      j++;
    }
  }
  while (i < n) out.push({ op: "removed", text: a[i++]! });
  while (j < m) out.push({ op: "added", text: b[j++]! });
  return out;
}

/** Too large for one table: diff lines as tokens, then words inside changed line runs. */
function byLines(a: string[], b: string[]): DiffSegment[] {
  const lines = (tokens: string[]) => {
    const out: string[] = [];
    let current = "";
    for (const t of tokens) {
      current += t;
      if (t.includes("\n")) {
        out.push(current);
        current = "";
      }
    }
    if (current) out.push(current);
    return out;
  };
  const coarse = merge(diffTokens(lines(a), lines(b), false));
  const out: DiffSegment[] = [];
  for (let k = 0; k < coarse.length; k++) {
    const seg = coarse[k]!;
    const next = coarse[k + 1];
    if (seg.op === "removed" && next?.op === "added") {
      out.push(...diffTokens(tokenize(seg.text), tokenize(next.text), false));
      k++;
    } else {
      out.push(seg);
    }
  }
  return out;
}

/** Joins neighbours with the same op; a replacement reads "removed" then "added". */
function merge(segments: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  for (const seg of segments) {
    if (!seg.text) continue;
    const last = out.at(-1);
    if (last && last.op === seg.op) last.text += seg.text;
    else out.push({ ...seg });
  }
  return out;
}
