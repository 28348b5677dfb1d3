import type { AccessRule, Pacing, ProgramStatus } from "@/generated/prisma/client";
import type { Db } from "@/server/db";

/** Procedures covered by tests/integration/player-authz.test.ts. */
export const covered = [
  "player.catalog",
  "player.program",
  "player.enrol",
  "player.step",
  "player.draft",
  "player.saveDraft",
  "player.submit",
  "player.completeStep",
  // After player.enrol: the matrix calls them in this order, enrolling on the way.
  "player.ending",
];

let n = 0;

/**
 * A program for player tests, written straight to the database: module 1 (open) has a step with
 * one exercise of every kind and a reading step; module 2 opens `lockDays` days after enrolment
 * when the program is cohort-paced.
 */
export async function seedProgram(
  db: Db,
  authorId: string,
  options: {
    accessRule?: AccessRule;
    pacing?: Pacing;
    status?: ProgramStatus;
    lockDays?: number;
  } = {},
) {
  n += 1;
  const program = await db.program.create({
    data: {
      slug: `player-${n}-${Date.now()}`,
      title: `Program ${n}`,
      summary: "A program for tests.",
      status: options.status ?? "PUBLISHED",
      pacing: options.pacing ?? "SELF_PACED",
      accessRule: options.accessRule ?? "FREE",
      publishedAt: new Date(),
      authorId,
    },
  });
  const m1 = await db.module.create({
    data: { programId: program.id, title: "Start", position: 0 },
  });
  const m2 = await db.module.create({
    data: {
      programId: program.id,
      title: "Later",
      position: 1,
      unlockDayOffset: options.lockDays ?? 7,
    },
  });
  const stepA = await db.step.create({
    data: { moduleId: m1.id, title: "Who you are", body: "Hello **you**", position: 0 },
  });
  const stepB = await db.step.create({
    data: { moduleId: m1.id, title: "Read this", body: "Just read.", position: 1 },
  });
  const stepC = await db.step.create({
    data: { moduleId: m2.id, title: "Later step", body: "Later.", position: 0 },
  });
  const kinds = {
    REFLECTION: { config: { probes: ["Why?"] }, revisitAfterDays: 14 },
    LENSES: { config: { lenses: ["Work", "Friends"] }, revisitAfterDays: 14 },
    SCALE: {
      config: { minLabel: "Hard", maxLabel: "Easy", followUp: "What would make it a 10?" },
      revisitAfterDays: 7,
    },
    PEOPLE: { config: { circles: ["Friends", "Family"] }, revisitAfterDays: null },
    COMMITMENT: { config: { dueInDays: 2 }, revisitAfterDays: null },
    PRACTICE: {
      config: {
        practices: [
          { key: "be-open", label: "Be open" },
          { key: "first-move", label: "Make the first move" },
        ],
      },
      revisitAfterDays: null,
    },
  } as const;
  const ex: Record<keyof typeof kinds, string> = {} as never;
  let position = 0;
  for (const [kind, spec] of Object.entries(kinds) as [
    keyof typeof kinds,
    (typeof kinds)[keyof typeof kinds],
  ][]) {
    const row = await db.exercise.create({
      data: {
        stepId: stepA.id,
        kind,
        prompt: `The ${kind.toLowerCase()} prompt`,
        config: spec.config,
        revisitAfterDays: spec.revisitAfterDays,
        position: position++,
      },
    });
    ex[kind] = row.id;
  }
  const later = await db.exercise.create({
    data: {
      stepId: stepC.id,
      kind: "REFLECTION",
      prompt: "Later prompt",
      config: { probes: [] },
      position: 0,
    },
  });
  return {
    program,
    modules: [m1, m2],
    steps: { a: stepA.id, b: stepB.id, c: stepC.id },
    ex,
    laterExerciseId: later.id,
  };
}

/** A valid answer of each kind for the seeded exercises. */
/** A week from now as YYYY-MM-DD (UTC): commitment due dates must not be in the past. */
export const DUE_ON = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

export const ANSWERS = {
  REFLECTION: { text: "Community means being known.", probes: ["Because."] },
  LENSES: { answers: { Work: "More lunch together", Friends: "Call more" } },
  SCALE: { value: 4, followUp: "Practice asking", why: "" },
  PEOPLE: {
    people: [
      {
        name: "Ana",
        circle: "Friends",
        status: "RECONNECT",
        why: "Old friend",
        lastContact: "2024-05-01",
      },
      { name: "Ben", circle: "Family", status: "KEEP", why: "" },
    ],
  },
  // A commitment is due today or later: a day a week ahead, whenever the tests run.
  COMMITMENT: { text: "Text Ana today", dueOn: DUE_ON },
  PRACTICE: { ticked: ["be-open", "first-move"], note: "Felt good" },
} as const;
