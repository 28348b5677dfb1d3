/**
 * The kinds of nudge Kindred sends, each a category a member can turn off on its own. A nudge
 * follows depth (a reflection left unfinished, a coach's word), never logins. Transactional mail
 * (sign-in links, payment problems, seat and schedule changes) is not a nudge: it is always sent.
 */
export const NUDGE_CATEGORIES = [
  {
    id: "commitment",
    label: "Commitment check-ins",
    description: "When a commitment you made is due: a moment to say how it went.",
    defaultOn: true,
  },
  {
    id: "reach-out",
    label: "Reach-out reminders",
    description: "On the day you planned to reach out to someone on your map.",
    defaultOn: true,
  },
  {
    id: "answer-again",
    label: "Answer again",
    description: "When it is time to answer a prompt again and see how your answer has changed.",
    defaultOn: true,
  },
  {
    id: "reflection",
    label: "Reflection reminders",
    description:
      "At the time and on the days you choose, when a program you are in has a step waiting for you.",
    defaultOn: true,
  },
  {
    id: "re-engagement",
    label: "Notes after a quiet spell",
    description:
      "One gentle note when you have been away for a week, instead of daily reminders. Then nothing until you are back.",
    defaultOn: true,
  },
  {
    id: "session",
    label: "Live session reminders",
    description: "A day and an hour before a live session of your group, in your time.",
    defaultOn: true,
  },
  {
    id: "cohort-digest",
    label: "Weekly group digest",
    description:
      "Monday morning in your group's time zone: new posts, what opened, who shared. Not sent after a quiet week.",
    defaultOn: true,
  },
  {
    id: "cohort-nudge",
    label: "Notes from your coach",
    description: "A short note from a coach of your group when you have been away for a while.",
    defaultOn: true,
  },
] as const;

export type NudgeCategory = (typeof NUDGE_CATEGORIES)[number]["id"];

export const NUDGE_CATEGORY_IDS = NUDGE_CATEGORIES.map((c) => c.id) as [
  NudgeCategory,
  ...NudgeCategory[],
];

/**
 * The categories that share the member's daily reminder slot (their time and weekdays): on a
 * day, the deepest one that applies is sent, in this order, and only one.
 */
export const DAILY_CATEGORIES = [
  "commitment",
  "reach-out",
  "answer-again",
  "reflection",
  "re-engagement",
] as const;

export function isNudgeCategory(value: unknown): value is NudgeCategory {
  return typeof value === "string" && (NUDGE_CATEGORY_IDS as string[]).includes(value);
}

/** Whether a member gets this category, given what they changed (`categories` column). */
export function categoryOn(stored: unknown, category: NudgeCategory): boolean {
  const changed =
    stored && typeof stored === "object" && !Array.isArray(stored)
      ? (stored as Record<string, unknown>)[category]
      : undefined;
  if (typeof changed === "boolean") return changed;
  return NUDGE_CATEGORIES.find((c) => c.id === category)?.defaultOn ?? false;
}
