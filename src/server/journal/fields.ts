import type { ExerciseKindName } from "../programs/exercise-kinds";

/**
 * Reading stored answers for display, compare and export. Passes are read defensively (not with
 * the strict zod schemas): an answer written under an older shape must still show, never crash
 * the journal.
 */
export type PromptSnapshot = {
  prompt: string;
  config: Record<string, unknown>;
  revision: number;
  stepTitle: string;
  programTitle: string;
};

export type TextField = { key: string; label: string; text: string };

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);

export function readSnapshot(value: unknown): PromptSnapshot {
  const s = obj(value);
  return {
    prompt: str(s.prompt),
    config: obj(s.config),
    revision: typeof s.revision === "number" ? s.revision : 1,
    stepTitle: str(s.stepTitle),
    programTitle: str(s.programTitle),
  };
}

/** The lens names of a LENSES answer: the prompt's order first, then any others answered. */
export function lensNames(content: unknown, snapshot: PromptSnapshot): string[] {
  const configured = strings(snapshot.config.lenses).filter(Boolean);
  const answered = Object.keys(obj(obj(content).answers));
  return [...configured, ...answered.filter((a) => !configured.includes(a))];
}

export function scaleValueOf(content: unknown, column: number | null): number | null {
  if (column !== null) return column;
  const v = obj(content).value;
  return typeof v === "number" ? v : null;
}

const STATUS: Record<string, string> = { KEEP: "keep", RECONNECT: "reconnect", MOVE_ON: "move on" };

/** Every text of an answer, labelled with the question it answers (as the prompt read then). */
export function answerFields(
  kind: ExerciseKindName,
  content: unknown,
  snapshot: PromptSnapshot,
): TextField[] {
  const c = obj(content);
  switch (kind) {
    case "REFLECTION": {
      const probes = strings(snapshot.config.probes);
      const answers = strings(c.probes);
      return [
        { key: "text", label: "Answer", text: str(c.text) },
        ...Array.from({ length: Math.max(probes.length, answers.length) }, (_, i) => ({
          key: `probe-${i}`,
          label: probes[i] || `Follow-up ${i + 1}`,
          text: answers[i] ?? "",
        })),
      ];
    }
    case "LENSES": {
      const answers = obj(c.answers);
      return lensNames(content, snapshot).map((lens) => ({
        key: `lens:${lens}`,
        label: lens,
        text: str(answers[lens]),
      }));
    }
    case "SCALE":
      return [
        {
          key: "followUp",
          label: str(snapshot.config.followUp) || "What would make it a 10?",
          text: str(c.followUp),
        },
        { key: "why", label: "Why it moved", text: str(c.why) },
      ];
    case "PEOPLE":
      return [
        {
          key: "people",
          label: "People",
          text: (Array.isArray(c.people) ? c.people : [])
            .map((p) => {
              const person = obj(p);
              const why = str(person.why);
              return `${str(person.name)} (${str(person.circle)}, ${STATUS[str(person.status)] ?? str(person.status)})${why ? `: ${why}` : ""}`;
            })
            .join("\n"),
        },
      ];
    case "COMMITMENT":
      return [
        { key: "text", label: "First step", text: str(c.text) },
        { key: "dueOn", label: "Due on", text: str(c.dueOn) },
      ];
    case "PRACTICE": {
      const labels = new Map(
        (Array.isArray(snapshot.config.practices) ? snapshot.config.practices : []).map((p) => [
          str(obj(p).key),
          str(obj(p).label),
        ]),
      );
      return [
        {
          key: "ticked",
          label: "Practices done",
          text: strings(c.ticked)
            .map((k) => labels.get(k) || k)
            .join(", "),
        },
        { key: "note", label: "Note", text: str(c.note) },
      ];
    }
    default:
      return [];
  }
}

/** A short plain-text preview of an answer for lists. */
export function excerptOf(
  kind: ExerciseKindName,
  content: unknown,
  snapshot: PromptSnapshot,
  max = 180,
): string {
  // A lens answer is several short texts, each under its lens: name each (in the form's order),
  // or the preview reads as one unlabelled run.
  const texts = answerFields(kind, content, snapshot)
    .filter((f) => f.text.trim())
    .map((f) => (kind === "LENSES" ? `${f.label}: ${f.text.trim()}` : f.text.trim()));
  const text = texts.join(" · ").replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
