import type { ExerciseConfig, ExerciseKindName } from "@/server/programs/exercise-kinds";

/** What the answer forms hold while the member types (drafts may be incomplete). */
export type PersonRow = {
  name: string;
  circle: string;
  status: "KEEP" | "RECONNECT" | "MOVE_ON";
  why: string;
  lastContact: string;
};
export type FormContent = {
  REFLECTION: { text: string; probes: string[] };
  LENSES: { answers: Record<string, string> };
  SCALE: { value?: number; followUp: string; why: string };
  PEOPLE: { people: PersonRow[] };
  COMMITMENT: { text: string; dueOn: string };
  PRACTICE: { ticked: string[]; note: string };
};

export type AnyConfig = {
  [K in ExerciseKindName]: { kind: K; config: ExerciseConfig<K> };
}[ExerciseKindName];

export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function emptyPerson(circle = ""): PersonRow {
  return { name: "", circle, status: "KEEP", why: "", lastContact: "" };
}

/** A fresh, empty answer; a commitment is due today + the coach's dueInDays, in local time. */
export function emptyContent(ex: AnyConfig, today = new Date()): Record<string, unknown> {
  switch (ex.kind) {
    case "REFLECTION":
      return { text: "", probes: ex.config.probes.map(() => "") };
    case "LENSES":
      return { answers: Object.fromEntries(ex.config.lenses.map((l) => [l, ""])) };
    case "SCALE":
      return { followUp: "", why: "" };
    case "PEOPLE":
      return { people: [emptyPerson(ex.config.circles[0])] };
    case "COMMITMENT": {
      const due = new Date(today);
      due.setDate(due.getDate() + ex.config.dueInDays);
      return { text: "", dueOn: isoDay(due) };
    }
    case "PRACTICE":
      return { ticked: [], note: "" };
  }
}

/** Drops what the server would refuse only because it is empty (an unset last-contact date). */
export function toSubmit(kind: ExerciseKindName, content: Record<string, unknown>) {
  if (kind === "PEOPLE") {
    const people = (content.people as PersonRow[] | undefined) ?? [];
    return {
      people: people.map(({ lastContact, ...p }) => (lastContact ? { ...p, lastContact } : p)),
    };
  }
  return content;
}
