import { Prisma, type Role } from "@/generated/prisma/client";
import { renderMarkdown } from "@/lib/markdown";
import { localDay, zonedInstant } from "@/lib/streak";
import type { Db } from "../db";
import { type Access, programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import {
  type AnswerContent,
  configSchemas,
  contentSchemas,
  type ExerciseConfig,
  type ExerciseKindName,
} from "../programs/exercise-kinds";
import {
  formatDay,
  issuesByPath,
  moduleUnlockAt,
  nextIncompleteStep,
  type RevisitState,
  revisitState,
} from "./logic";

/**
 * The member player. Every procedure reads the program's facts, asks the entitlement service
 * (`programAccess`) and only then touches the caller's own rows: drafts, passes, completions and
 * side-effect rows are always filtered by `viewer.id`, never by an id from outside alone, so
 * nobody can read or write another member's answers. `now` is a parameter so tests move the clock.
 */
export type Viewer = { id: string; role: Role; timeZone?: string };

const programFacts = {
  id: true,
  slug: true,
  title: true,
  status: true,
  pacing: true,
  accessRule: true,
  authorId: true,
} as const;

type ProgramFacts = Prisma.ProgramGetPayload<{ select: typeof programFacts }>;
type EnrolmentFacts = { createdAt: Date; currentStepId: string | null; completedAt: Date | null };

const enrolmentOf = (userId: string) =>
  ({
    where: { userId },
    select: { createdAt: true, currentStepId: true, completedAt: true },
  }) as const;

/** The whole program's modules and steps with the viewer's completions: one bounded read. */
const outlineOf = (userId: string) =>
  ({
    orderBy: { position: "asc" },
    select: {
      id: true,
      title: true,
      unlockDayOffset: true,
      steps: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          title: true,
          _count: { select: { exercises: { where: { deletedAt: null } } } },
          completions: { where: { userId }, select: { completedAt: true } },
        },
      },
    },
  }) as const;

type OutlineModule = {
  id: string;
  title: string;
  unlockDayOffset: number;
  steps: {
    id: string;
    title: string;
    _count: { exercises: number };
    completions: { completedAt: Date }[];
  }[];
};

function outline(
  program: ProgramFacts,
  modules: OutlineModule[],
  enrolment: EnrolmentFacts | null,
  now: Date,
) {
  const shaped = modules.map((m) => {
    const unlockAt = moduleUnlockAt(
      program.pacing,
      m.unlockDayOffset,
      enrolment?.createdAt ?? null,
      now,
    );
    return {
      id: m.id,
      title: m.title,
      unlockAt,
      locked: unlockAt !== null,
      steps: m.steps.map((s) => ({
        id: s.id,
        title: s.title,
        done: s.completions.length > 0,
        locked: unlockAt !== null,
        unlockAt,
        exerciseCount: s._count.exercises,
      })),
    };
  });
  const steps = shaped.flatMap((m) => m.steps);
  const done = steps.filter((s) => s.done).length;
  return {
    modules: shaped,
    steps,
    progress: { done, total: steps.length },
    currentStepId: enrolment?.currentStepId ?? nextIncompleteStep(steps, null),
  };
}

const publicAccess = (a: Access) => ({
  canOpen: a.canOpen,
  canAnswer: a.canAnswer,
  reason: a.reason ?? null,
});

/**
 * Who may see what: without an enrolment only the program's public outline; an enrolled member
 * keeps reading (read-only) after losing access; writing needs `canAnswer`. A program that is
 * not published is NOT_FOUND to everyone who may not open it, so its ids cannot be probed.
 */
function gate(
  access: Access,
  program: ProgramFacts,
  enrolment: EnrolmentFacts | null,
  mode: "read" | "write",
) {
  if (!enrolment) {
    if (!access.canOpen && program.status !== "PUBLISHED") {
      throw new DomainError("NOT_FOUND", "We could not find that.");
    }
    if (!access.canOpen) {
      throw new DomainError(
        "FORBIDDEN",
        access.reason ?? "You do not have access to this program.",
      );
    }
    throw new DomainError("PRECONDITION_FAILED", `Enrol in “${program.title}” to open its steps.`);
  }
  if (mode === "write" && !access.canAnswer) {
    throw new DomainError("FORBIDDEN", access.reason ?? "You do not have access to this program.");
  }
}

function refuseLocked(unlockAt: Date | null, viewer: Viewer) {
  if (unlockAt) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      `This module opens on ${formatDay(unlockAt, viewer.timeZone)}.`,
    );
  }
}

// ─── Catalog and overview ────────────────────────────────────────────────────────────────

export async function catalog(db: Db, viewer: Viewer, now = new Date()) {
  const [programs, comps] = await Promise.all([
    db.program.findMany({
      // Published programs, plus any the member is enrolled in (read-only once unpublished).
      where: { OR: [{ status: "PUBLISHED" }, { enrolments: { some: { userId: viewer.id } } }] },
      orderBy: [{ publishedAt: "desc" }, { title: "asc" }],
      select: {
        ...programFacts,
        summary: true,
        coverImage: true,
        enrolments: enrolmentOf(viewer.id),
        modules: {
          select: {
            steps: {
              select: {
                id: true,
                completions: { where: { userId: viewer.id }, select: { id: true } },
              },
            },
          },
        },
      },
    }),
    db.comp.findMany({
      where: { userId: viewer.id, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { programId: true },
    }),
  ]);
  // programAccess asks the database one question (is there a live comp for this program?);
  // it is answered from the comps read above, so the catalog stays at two reads for any size.
  const compsOnly = (programId: string) =>
    ({
      comp: {
        findFirst: async () =>
          comps.some((c) => c.programId === null || c.programId === programId)
            ? { id: "comp" }
            : null,
      },
    }) as unknown as Db;
  return Promise.all(
    programs.map(async (p) => {
      const access = await programAccess(compsOnly(p.id), viewer, p, now);
      const steps = p.modules.flatMap((m) => m.steps);
      const enrolment = p.enrolments[0] ?? null;
      return {
        id: p.id,
        slug: p.slug,
        title: p.title,
        summary: p.summary,
        pacing: p.pacing,
        accessRule: p.accessRule,
        access: publicAccess(access),
        enrolled: Boolean(enrolment),
        currentStepId: enrolment?.currentStepId ?? null,
        completed: Boolean(enrolment?.completedAt),
        progress: {
          done: steps.filter((s) => s.completions.length > 0).length,
          total: steps.length,
        },
      };
    }),
  );
}

export async function programOverview(db: Db, viewer: Viewer, slug: string, now = new Date()) {
  const program = await db.program.findUnique({
    where: { slug },
    select: {
      ...programFacts,
      summary: true,
      enrolments: enrolmentOf(viewer.id),
      modules: outlineOf(viewer.id),
    },
  });
  if (!program) throw new DomainError("NOT_FOUND", "We could not find that program.");
  const access = await programAccess(db, viewer, program, now);
  const enrolment = program.enrolments[0] ?? null;
  if (!access.canOpen && !enrolment && program.status !== "PUBLISHED") {
    throw new DomainError("NOT_FOUND", "We could not find that program.");
  }
  const o = outline(program, program.modules, enrolment, now);
  return {
    program: {
      id: program.id,
      slug: program.slug,
      title: program.title,
      summary: program.summary,
      pacing: program.pacing,
      accessRule: program.accessRule,
    },
    access: publicAccess(access),
    enrolled: Boolean(enrolment),
    enrolledAt: enrolment?.createdAt ?? null,
    completed: Boolean(enrolment?.completedAt),
    modules: o.modules,
    progress: o.progress,
    currentStepId: enrolment ? o.currentStepId : null,
  };
}

export async function enrol(db: Db, viewer: Viewer, programId: string, now = new Date()) {
  const program = await db.program.findUnique({
    where: { id: programId },
    select: {
      ...programFacts,
      modules: {
        orderBy: { position: "asc" },
        select: { steps: { orderBy: { position: "asc" }, take: 1, select: { id: true } } },
      },
    },
  });
  if (!program) throw new DomainError("NOT_FOUND", "We could not find that program.");
  const access = await programAccess(db, viewer, program, now);
  if (!access.canAnswer) {
    if (!access.canOpen && program.status !== "PUBLISHED") {
      throw new DomainError("NOT_FOUND", "We could not find that program.");
    }
    throw new DomainError("FORBIDDEN", access.reason ?? "You do not have access to this program.");
  }
  const firstStepId = program.modules.flatMap((m) => m.steps)[0]?.id ?? null;
  const key = { userId_programId: { userId: viewer.id, programId } };
  const select = { id: true, createdAt: true, currentStepId: true } as const;
  try {
    const enrolment = await db.enrolment.upsert({
      where: key,
      create: { userId: viewer.id, programId, currentStepId: firstStepId, createdAt: now },
      update: {},
      select,
    });
    return { ...enrolment, slug: program.slug };
  } catch (error) {
    // Two clicks at once: the other request created it; enrolling stays idempotent.
    if (isUniqueViolation(error)) {
      const enrolment = await db.enrolment.findUniqueOrThrow({ where: key, select });
      return { ...enrolment, slug: program.slug };
    }
    throw error;
  }
}

// ─── The step ────────────────────────────────────────────────────────────────────────────

const FALLBACK_CONFIG: { [K in ExerciseKindName]: ExerciseConfig<K> } = {
  REFLECTION: { probes: [] },
  LENSES: { lenses: [] },
  SCALE: { minLabel: "Not at all", maxLabel: "Completely", followUp: "What would make it a 10?" },
  PEOPLE: { circles: ["Friends", "Family", "Work"] },
  COMMITMENT: { dueInDays: 0 },
  PRACTICE: { practices: [] },
};

/** The coach's editor validates config; a row that does not parse still renders, plainly. */
function readConfig<K extends ExerciseKindName>(kind: K, raw: unknown): ExerciseConfig<K> {
  const parsed = configSchemas[kind].safeParse(raw);
  return (parsed.success ? parsed.data : FALLBACK_CONFIG[kind]) as ExerciseConfig<K>;
}

export type PassView = {
  id: string;
  passNumber: number;
  content: unknown;
  promptSnapshot: unknown;
  scaleValue: number | null;
  createdAt: Date;
};

type ExerciseViewBase = {
  id: string;
  prompt: string;
  revisitAfterDays: number | null;
  draft: { content: unknown; version: number; updatedAt: Date } | null;
  /** The viewer's own passes, newest first. */
  passes: PassView[];
  revisit: RevisitState;
};
export type ExerciseView = {
  [K in ExerciseKindName]: ExerciseViewBase & { kind: K; config: ExerciseConfig<K> };
}[ExerciseKindName];

export async function getStep(db: Db, viewer: Viewer, stepId: string, now = new Date()) {
  const step = await db.step.findUnique({
    where: { id: stepId },
    select: {
      id: true,
      title: true,
      body: true,
      module: {
        select: {
          id: true,
          title: true,
          program: {
            select: {
              ...programFacts,
              enrolments: enrolmentOf(viewer.id),
              modules: outlineOf(viewer.id),
            },
          },
        },
      },
      exercises: {
        where: { deletedAt: null },
        orderBy: { position: "asc" },
        select: {
          id: true,
          kind: true,
          prompt: true,
          config: true,
          revisitAfterDays: true,
          drafts: {
            where: { userId: viewer.id },
            select: { content: true, version: true, updatedAt: true },
          },
          passes: {
            where: { userId: viewer.id },
            orderBy: { passNumber: "desc" },
            select: {
              id: true,
              passNumber: true,
              content: true,
              promptSnapshot: true,
              scaleValue: true,
              createdAt: true,
            },
          },
        },
      },
    },
  });
  if (!step) throw new DomainError("NOT_FOUND", "We could not find that step.");
  const program = step.module.program;
  const enrolment = program.enrolments[0] ?? null;
  const access = await programAccess(db, viewer, program, now);
  gate(access, program, enrolment, "read");
  const o = outline(program, program.modules, enrolment, now);
  const index = o.steps.findIndex((s) => s.id === step.id);
  const here = o.steps[index]!;
  refuseLocked(here.unlockAt, viewer);

  const exercises = step.exercises.map((e) => {
    const kind = e.kind as ExerciseKindName;
    return {
      id: e.id,
      kind,
      prompt: e.prompt,
      config: readConfig(kind, e.config),
      revisitAfterDays: e.revisitAfterDays,
      draft: e.drafts[0] ?? null,
      passes: e.passes,
      revisit: revisitState(kind, e.revisitAfterDays, e.passes, now),
    } as ExerciseView;
  });
  return {
    program: { id: program.id, slug: program.slug, title: program.title, pacing: program.pacing },
    module: { id: step.module.id, title: step.module.title },
    step: {
      id: step.id,
      title: step.title,
      bodyHtml: renderMarkdown(step.body),
      done: here.done,
    },
    position: { index: index + 1, total: o.steps.length },
    progress: o.progress,
    prevStepId: o.steps[index - 1]?.id ?? null,
    nextStepId: o.steps[index + 1]?.id ?? null,
    canAnswer: access.canAnswer,
    reason: access.canAnswer ? null : (access.reason ?? "You do not have access to this program."),
    exercises,
  };
}

// ─── Drafts and passes ───────────────────────────────────────────────────────────────────

async function loadExercise(
  db: Db,
  viewer: Viewer,
  exerciseId: string,
  mode: "read" | "write",
  now: Date,
) {
  const exercise = await db.exercise.findUnique({
    where: { id: exerciseId },
    select: {
      id: true,
      kind: true,
      prompt: true,
      config: true,
      revision: true,
      revisitAfterDays: true,
      deletedAt: true,
      step: {
        select: {
          id: true,
          title: true,
          module: {
            select: {
              unlockDayOffset: true,
              program: { select: { ...programFacts, enrolments: enrolmentOf(viewer.id) } },
            },
          },
        },
      },
    },
  });
  if (!exercise || exercise.deletedAt) {
    throw new DomainError("NOT_FOUND", "We could not find that exercise.");
  }
  const program = exercise.step.module.program;
  const enrolment = program.enrolments[0] ?? null;
  const access = await programAccess(db, viewer, program, now);
  gate(access, program, enrolment, mode);
  refuseLocked(
    moduleUnlockAt(
      program.pacing,
      exercise.step.module.unlockDayOffset,
      enrolment?.createdAt ?? null,
      now,
    ),
    viewer,
  );
  return { exercise, program, enrolment: enrolment!, kind: exercise.kind as ExerciseKindName };
}

const STALE =
  "This answer was changed in another tab. Reload to see the latest version before you go on.";

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The caller's own draft of one exercise (for a tab that was told it is stale). */
export async function getDraft(db: Db, viewer: Viewer, exerciseId: string, now = new Date()) {
  await loadExercise(db, viewer, exerciseId, "read", now);
  return db.answerDraft.findUnique({
    where: { userId_exerciseId: { userId: viewer.id, exerciseId } },
    select: { content: true, version: true, updatedAt: true },
  });
}

/**
 * Optimistic concurrency: the write only lands on the version the client last saw (0 = none
 * yet). Anything else is a CONFLICT, never a silent overwrite of what another tab saved.
 */
export async function saveDraft(
  db: Db,
  viewer: Viewer,
  input: { exerciseId: string; content: Record<string, unknown>; baseVersion: number },
  now = new Date(),
) {
  await loadExercise(db, viewer, input.exerciseId, "write", now);
  const content = input.content as Prisma.InputJsonValue;
  if (input.baseVersion === 0) {
    try {
      return await db.answerDraft.create({
        data: { userId: viewer.id, exerciseId: input.exerciseId, content, version: 1 },
        select: { version: true, updatedAt: true },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError("CONFLICT", STALE);
      throw error;
    }
  }
  const { count } = await db.answerDraft.updateMany({
    where: { userId: viewer.id, exerciseId: input.exerciseId, version: input.baseVersion },
    data: { content, version: { increment: 1 } },
  });
  if (count === 0) throw new DomainError("CONFLICT", STALE);
  return { version: input.baseVersion + 1, updatedAt: now };
}

const isoDay = (v: string) => new Date(`${v}T00:00:00Z`);

/**
 * Answering a people exercise again updates the people already on the map (same name and
 * circle, ignoring case) instead of adding them twice; only new people are created. Dates are
 * the member's local days, stored at local noon like the community map stores them.
 */
async function mergePeople(
  tx: Prisma.TransactionClient,
  userId: string,
  timeZone: string,
  passId: string,
  people: AnswerContent<"PEOPLE">["people"],
) {
  const keyOf = (name: string, circle: string) =>
    `${name.trim().toLowerCase()}\u0000${circle.trim().toLowerCase()}`;
  const existing = await tx.person.findMany({
    where: {
      userId,
      OR: people.map((p) => ({
        name: { equals: p.name.trim(), mode: "insensitive" as const },
        circle: { equals: p.circle.trim(), mode: "insensitive" as const },
      })),
    },
    select: { id: true, name: true, circle: true, lastContactAt: true },
  });
  const byKey = new Map(existing.map((p) => [keyOf(p.name, p.circle), p]));
  const fresh: Prisma.PersonCreateManyInput[] = [];
  for (const p of people) {
    const lastContactAt = p.lastContact ? zonedInstant(p.lastContact, timeZone, 12) : null;
    const known = byKey.get(keyOf(p.name, p.circle));
    if (known) {
      await tx.person.update({
        where: { id: known.id },
        data: {
          status: p.status,
          ...(p.why ? { why: p.why } : {}),
          // Last contact only moves forward.
          ...(lastContactAt && (!known.lastContactAt || lastContactAt > known.lastContactAt)
            ? { lastContactAt }
            : {}),
        },
      });
    } else {
      fresh.push({
        userId,
        name: p.name.trim(),
        circle: p.circle.trim(),
        status: p.status,
        why: p.why,
        lastContactAt,
        sourcePassId: passId,
      });
    }
  }
  if (fresh.length) await tx.person.createMany({ data: fresh });
}

/** Rules the generic content schema cannot know: the answer must fit this exercise's config. */
function checkAgainstConfig(
  kind: ExerciseKindName,
  content: AnswerContent<ExerciseKindName>,
  rawConfig: unknown,
  today: string,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    errors[key] ??= [];
    errors[key].push(message);
  };
  switch (kind) {
    case "REFLECTION": {
      const c = content as AnswerContent<"REFLECTION">;
      if (!c.text.trim()) add("text", "Write your answer before you submit it.");
      break;
    }
    case "LENSES": {
      const c = content as AnswerContent<"LENSES">;
      const lenses = new Set(readConfig("LENSES", rawConfig).lenses);
      for (const lens of Object.keys(c.answers)) {
        if (!lenses.has(lens)) add(`answers.${lens}`, `“${lens}” is not one of the lenses.`);
      }
      if (!Object.values(c.answers).some((a) => a.trim())) {
        add("answers", "Answer through at least one lens.");
      }
      break;
    }
    case "PEOPLE": {
      const c = content as AnswerContent<"PEOPLE">;
      const circles = new Set(readConfig("PEOPLE", rawConfig).circles);
      if (c.people.length === 0) add("people", "Add at least one person.");
      c.people.forEach((p, i) => {
        if (!circles.has(p.circle)) add(`people.${i}.circle`, "Choose one of the circles.");
        if (p.lastContact && (p.lastContact > today || p.lastContact < "1900-01-01")) {
          add(`people.${i}.lastContact`, "The last contact cannot be in the future.");
        }
      });
      break;
    }
    case "COMMITMENT": {
      const c = content as AnswerContent<"COMMITMENT">;
      // `today` is the member's local day; allow one day of slack for the other side of UTC.
      const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000)
        .toISOString()
        .slice(0, 10);
      const farthest = `${Number(today.slice(0, 4)) + 2}${today.slice(4)}`;
      if (c.dueOn < yesterday) add("dueOn", "Choose today or a later day.");
      if (c.dueOn > farthest) add("dueOn", "Choose a day within the next two years.");
      break;
    }
    case "PRACTICE": {
      const c = content as AnswerContent<"PRACTICE">;
      const keys = new Set(readConfig("PRACTICE", rawConfig).practices.map((p) => p.key));
      if (c.ticked.length === 0) add("ticked", "Tick at least one practice you did.");
      if (c.ticked.some((k) => !keys.has(k))) add("ticked", "That practice is not in this list.");
      break;
    }
    default:
      break;
  }
  return errors;
}

/**
 * Records a pass: validated against the kind and the exercise, gated by the revisit rule,
 * numbered inside a transaction (the unique (user, exercise, passNumber) turns a double submit
 * into a CONFLICT), with the prompt snapshot and every side effect in the same transaction.
 */
export async function submitAnswer(
  db: Db,
  viewer: Viewer,
  input: { exerciseId: string; content: unknown },
  now = new Date(),
) {
  const { exercise, program, enrolment, kind } = await loadExercise(
    db,
    viewer,
    input.exerciseId,
    "write",
    now,
  );
  const parsed = contentSchemas[kind].safeParse(input.content);
  if (!parsed.success) {
    throw new DomainError(
      "BAD_REQUEST",
      "Please correct the highlighted fields.",
      issuesByPath(parsed.error),
    );
  }
  const mismatch = checkAgainstConfig(
    kind,
    parsed.data,
    exercise.config,
    localDay(now, viewer.timeZone ?? "UTC"),
  );
  if (Object.keys(mismatch).length) {
    throw new DomainError("BAD_REQUEST", "Please correct the highlighted fields.", mismatch);
  }
  let content = parsed.data as AnswerContent<ExerciseKindName>;
  if (kind === "REFLECTION") {
    const c = content as AnswerContent<"REFLECTION">;
    const probes = readConfig("REFLECTION", exercise.config).probes.length;
    content = { ...c, probes: c.probes.slice(0, probes) };
  }
  if (kind === "PRACTICE") {
    const c = content as AnswerContent<"PRACTICE">;
    content = { ...c, ticked: [...new Set(c.ticked)] };
  }
  const userId = viewer.id;
  const exerciseId = exercise.id;

  try {
    return await db.$transaction(async (tx) => {
      const last = await tx.answerPass.findFirst({
        where: { userId, exerciseId },
        orderBy: { passNumber: "desc" },
        select: { passNumber: true, createdAt: true },
      });
      const before = revisitState(kind, exercise.revisitAfterDays, last ? [last] : [], now);
      if (!before.canAnswerAgain) {
        throw new DomainError(
          "PRECONDITION_FAILED",
          before.nextDueAt
            ? `You can answer again on ${formatDay(before.nextDueAt, viewer.timeZone)}.`
            : "This exercise is answered once; your answer is kept in your journal.",
        );
      }
      const passNumber = (last?.passNumber ?? 0) + 1;
      const pass = await tx.answerPass.create({
        data: {
          userId,
          exerciseId,
          programId: program.id,
          passNumber,
          kind,
          content: content as Prisma.InputJsonValue,
          promptSnapshot: {
            prompt: exercise.prompt,
            config: exercise.config as Prisma.InputJsonValue,
            revision: exercise.revision,
            stepTitle: exercise.step.title,
            programTitle: program.title,
          },
          scaleValue: kind === "SCALE" ? (content as AnswerContent<"SCALE">).value : null,
          createdAt: now,
        },
        select: { id: true, passNumber: true, createdAt: true },
      });
      await tx.answerDraft.deleteMany({ where: { userId, exerciseId } });

      if (kind === "PEOPLE") {
        await mergePeople(
          tx,
          userId,
          viewer.timeZone ?? "UTC",
          pass.id,
          (content as AnswerContent<"PEOPLE">).people,
        );
      } else if (kind === "COMMITMENT") {
        const c = content as AnswerContent<"COMMITMENT">;
        await tx.commitment.create({
          data: { userId, text: c.text, dueOn: isoDay(c.dueOn), sourcePassId: pass.id },
        });
      } else if (kind === "PRACTICE") {
        const c = content as AnswerContent<"PRACTICE">;
        await tx.practiceTick.createMany({
          data: c.ticked.map((practiceKey) => ({
            userId,
            exerciseId,
            practiceKey,
            note: c.note,
            createdAt: now,
          })),
        });
      }

      const siblings = await tx.exercise.findMany({
        where: { stepId: exercise.step.id, deletedAt: null },
        select: { passes: { where: { userId }, select: { id: true }, take: 1 } },
      });
      const stepDone = siblings.every((e) => e.passes.length > 0);
      const currentStepId = stepDone
        ? await markComplete(tx, userId, exercise.step.id, program.id, enrolment, now)
        : enrolment.currentStepId;
      const after = revisitState(kind, exercise.revisitAfterDays, [pass], now);
      return {
        passId: pass.id,
        passNumber: pass.passNumber,
        createdAt: pass.createdAt,
        nextDueAt: after.nextDueAt,
        stepDone,
        currentStepId,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("CONFLICT", "This answer was just submitted from another tab.");
    }
    throw error;
  }
}

/** Idempotent completion; moves the enrolment on to the next step not done yet. */
async function markComplete(
  tx: Prisma.TransactionClient,
  userId: string,
  stepId: string,
  programId: string,
  enrolment: EnrolmentFacts,
  now: Date,
): Promise<string | null> {
  await tx.stepCompletion.createMany({
    data: [{ userId, stepId, completedAt: now }],
    skipDuplicates: true,
  });
  const steps = await tx.step.findMany({
    where: { module: { programId } },
    orderBy: [{ module: { position: "asc" } }, { position: "asc" }],
    select: { id: true, completions: { where: { userId }, select: { id: true } } },
  });
  const next = nextIncompleteStep(
    steps.map((s) => ({ id: s.id, done: s.completions.length > 0 })),
    stepId,
  );
  await tx.enrolment.update({
    where: { userId_programId: { userId, programId } },
    data: { currentStepId: next, completedAt: next ? null : (enrolment.completedAt ?? now) },
  });
  return next;
}

/** For steps without exercises (reading only): the member marks them done. */
export async function completeStep(db: Db, viewer: Viewer, stepId: string, now = new Date()) {
  const step = await db.step.findUnique({
    where: { id: stepId },
    select: {
      id: true,
      _count: { select: { exercises: { where: { deletedAt: null } } } },
      module: {
        select: {
          unlockDayOffset: true,
          program: { select: { ...programFacts, enrolments: enrolmentOf(viewer.id) } },
        },
      },
    },
  });
  if (!step) throw new DomainError("NOT_FOUND", "We could not find that step.");
  const program = step.module.program;
  const enrolment = program.enrolments[0] ?? null;
  const access = await programAccess(db, viewer, program, now);
  gate(access, program, enrolment, "write");
  refuseLocked(
    moduleUnlockAt(program.pacing, step.module.unlockDayOffset, enrolment!.createdAt, now),
    viewer,
  );
  if (step._count.exercises > 0) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Answer every exercise of this step; it completes itself then.",
    );
  }
  const currentStepId = await db.$transaction((tx) =>
    markComplete(tx, viewer.id, step.id, program.id, enrolment!, now),
  );
  return { stepId: step.id, done: true, currentStepId };
}
