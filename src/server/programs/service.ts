import type { z } from "zod";
import { Prisma, type Role } from "@/generated/prisma/client";
import { recordAudit } from "../audit/service";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { configSchemas, type ExerciseKindName } from "./exercise-kinds";
import {
  type AddExerciseInput,
  type addModuleInput,
  type addStepInput,
  PROGRAM_LIMITS,
  type ReorderInput,
  type UpdateExerciseInput,
  type UpdateProgramInput,
  type updateModuleInput,
  type updateStepInput,
} from "./schemas";

/**
 * Coach authoring. A coach may touch only programs they author; admins any. Someone else's
 * program, module, step or exercise is NOT_FOUND so ids cannot be probed.
 */
export type Actor = { id: string; role: Role };
type Tx = Prisma.TransactionClient;

const NOT_FOUND = "No such program.";

/** Prisma filter for "a program this actor may author". */
const ownProgram = (actor: Actor): Prisma.ProgramWhereInput =>
  actor.role === "ADMIN" ? {} : { authorId: actor.id };

async function requireProgram(db: Db | Tx, actor: Actor, id: string) {
  const program = await db.program.findFirst({ where: { id, ...ownProgram(actor) } });
  if (!program) throw new DomainError("NOT_FOUND", NOT_FOUND);
  return program;
}

async function requireModule(db: Db | Tx, actor: Actor, id: string) {
  const row = await db.module.findFirst({
    where: { id, program: ownProgram(actor) },
    include: { program: { select: { id: true, status: true, publishedAt: true } } },
  });
  if (!row) throw new DomainError("NOT_FOUND", "No such module.");
  return row;
}

async function requireStep(db: Db | Tx, actor: Actor, id: string) {
  const row = await db.step.findFirst({
    where: { id, module: { program: ownProgram(actor) } },
    include: { module: { select: { programId: true } } },
  });
  if (!row) throw new DomainError("NOT_FOUND", "No such step.");
  return row;
}

async function requireExercise(db: Db | Tx, actor: Actor, id: string) {
  const row = await db.exercise.findFirst({
    where: { id, deletedAt: null, step: { module: { program: ownProgram(actor) } } },
    include: {
      step: {
        select: {
          module: { select: { program: { select: { status: true, publishedAt: true } } } },
        },
      },
    },
  });
  if (!row) throw new DomainError("NOT_FOUND", "No such exercise.");
  return row;
}

// ─── Slugs ──────────────────────────────────────────────────────────────────────────────

export function slugify(title: string): string {
  const base = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    // Leave room for a "-123" suffix within the 80-character limit.
    .slice(0, PROGRAM_LIMITS.slug - 6)
    .replace(/-+$/g, "");
  return base || "program";
}

/** The first free slug of base, base-2, base-3… (one query). */
async function freeSlug(db: Db | Tx, title: string): Promise<string> {
  const base = slugify(title);
  const taken = new Set(
    (
      await db.program.findMany({
        where: { slug: { startsWith: base } },
        select: { slug: true },
      })
    ).map((p) => p.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** Creates with a fresh slug, retrying when a concurrent create took the same one. */
async function withFreeSlug<T>(db: Db, title: string, create: (slug: string) => Promise<T>) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await create(await freeSlug(db, title));
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 4) throw error;
    }
  }
}

// ─── Programs ───────────────────────────────────────────────────────────────────────────

export async function listPrograms(db: Db, actor: Actor) {
  return db.program.findMany({
    where: ownProgram(actor),
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: 200,
    select: {
      id: true,
      title: true,
      slug: true,
      status: true,
      summary: true,
      coverImage: true,
      updatedAt: true,
      publishedAt: true,
      author: { select: { id: true, name: true, email: true } },
      _count: { select: { modules: true, enrolments: true } },
    },
  });
}

/** The whole outline in one query, in order, without deleted exercises. */
export async function getProgram(db: Db, actor: Actor, id: string) {
  const program = await db.program.findFirst({
    where: { id, ...ownProgram(actor) },
    include: {
      author: { select: { id: true, name: true, email: true } },
      modules: {
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        include: {
          steps: {
            orderBy: [{ position: "asc" }, { createdAt: "asc" }],
            include: {
              exercises: {
                where: { deletedAt: null },
                orderBy: [{ position: "asc" }, { createdAt: "asc" }],
                include: { _count: { select: { passes: true } } },
              },
            },
          },
        },
      },
    },
  });
  if (!program) throw new DomainError("NOT_FOUND", NOT_FOUND);
  return program;
}

export async function createProgram(db: Db, actor: Actor, title: string) {
  return withFreeSlug(db, title, (slug) =>
    db.program.create({ data: { title, slug, authorId: actor.id } }),
  );
}

export async function updateProgram(db: Db, actor: Actor, input: UpdateProgramInput) {
  await requireProgram(db, actor, input.id);
  const slugConflict = () =>
    new DomainError("CONFLICT", "That address is already used by another program.", {
      slug: ["That address is already used by another program. Choose another."],
    });
  const clash = await db.program.findFirst({
    where: { slug: input.slug, id: { not: input.id } },
    select: { id: true },
  });
  if (clash) throw slugConflict();
  const { id, coverImage, ...data } = input;
  try {
    return await db.program.update({
      where: { id },
      data: { ...data, ...(coverImage !== undefined ? { coverImage } : {}) },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugConflict();
    throw error;
  }
}

type Outline = Awaited<ReturnType<typeof getProgram>>;

/** Everything that keeps a program from being published, in outline order. */
export function publishProblems(program: Outline): string[] {
  const problems: string[] = [];
  if (!program.title.trim()) problems.push("The program needs a title.");
  if (program.modules.length === 0) problems.push("Add at least one module.");
  program.modules.forEach((m, mi) => {
    const mName = `Module ${mi + 1} “${m.title}”`;
    if (m.steps.length === 0) problems.push(`${mName} has no steps.`);
    m.steps.forEach((s, si) => {
      const sName = `${mName}, step ${si + 1}${s.title.trim() ? ` “${s.title}”` : ""}`;
      if (!s.title.trim()) problems.push(`${sName} needs a title.`);
      if (!s.body.trim() && s.exercises.length === 0)
        problems.push(`${sName} needs a body or at least one exercise.`);
      s.exercises.forEach((e, ei) => {
        const eName = `${sName}, exercise ${ei + 1} (${e.kind.toLowerCase()})`;
        if (!e.prompt.trim()) problems.push(`${eName} needs a prompt.`);
        const parsed = configSchemas[e.kind as ExerciseKindName].safeParse(e.config);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) problems.push(`${eName}: ${issue.message}`);
        }
      });
    });
  });
  return problems;
}

export async function publishProgram(db: Db, actor: Actor, id: string) {
  const program = await getProgram(db, actor, id);
  const problems = publishProblems(program);
  if (problems.length) {
    throw new DomainError(
      "BAD_REQUEST",
      `This program is not ready to publish (${problems.length} ${problems.length === 1 ? "problem" : "problems"}).`,
      { publish: problems },
    );
  }
  return db.$transaction(async (tx) => {
    const updated = await tx.program.update({
      where: { id },
      data: { status: "PUBLISHED", publishedAt: new Date(), archivedAt: null },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "program.published",
      targetType: "Program",
      targetId: id,
      details: { from: program.status },
    });
    return updated;
  });
}

export async function archiveProgram(db: Db, actor: Actor, id: string, archive: boolean) {
  return db.$transaction(async (tx) => {
    const program = await requireProgram(tx, actor, id);
    // Idempotent: archiving an archived program or unarchiving a live one changes nothing.
    if (archive === (program.status === "ARCHIVED")) return program;
    const updated = await tx.program.update({
      where: { id },
      data: archive
        ? { status: "ARCHIVED", archivedAt: new Date() }
        : { status: "DRAFT", archivedAt: null },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: archive ? "program.archived" : "program.unarchived",
      targetType: "Program",
      targetId: id,
      details: { from: program.status },
    });
    return updated;
  });
}

/** A deep copy as a new draft owned by the actor; answers, enrolments and deleted exercises stay. */
export async function duplicateProgram(db: Db, actor: Actor, id: string) {
  const source = await getProgram(db, actor, id);
  const suffix = " (copy)";
  const title = `${source.title.slice(0, PROGRAM_LIMITS.title - suffix.length)}${suffix}`;
  return withFreeSlug(db, title, (slug) =>
    db.$transaction(async (tx) => {
      const copy = await tx.program.create({
        data: {
          title,
          slug,
          summary: source.summary,
          coverImage: source.coverImage,
          pacing: source.pacing,
          accessRule: source.accessRule,
          authorId: actor.id,
          modules: {
            create: source.modules.map((m, mi) => ({
              title: m.title,
              position: mi,
              unlockDayOffset: m.unlockDayOffset,
              steps: {
                create: m.steps.map((s, si) => ({
                  title: s.title,
                  body: s.body,
                  position: si,
                  exercises: {
                    create: s.exercises.map((e, ei) => ({
                      kind: e.kind,
                      prompt: e.prompt,
                      config: e.config ?? {},
                      position: ei,
                      revisitAfterDays: e.revisitAfterDays,
                    })),
                  },
                })),
              },
            })),
          },
        },
      });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "program.duplicated",
        targetType: "Program",
        targetId: copy.id,
        details: { from: id },
      });
      return copy;
    }),
  );
}

// ─── Modules and steps ──────────────────────────────────────────────────────────────────

export async function addModule(db: Db, actor: Actor, input: z.infer<typeof addModuleInput>) {
  await requireProgram(db, actor, input.programId);
  const last = await db.module.aggregate({
    where: { programId: input.programId },
    _max: { position: true },
  });
  return db.module.create({
    data: {
      programId: input.programId,
      title: input.title,
      position: (last._max.position ?? -1) + 1,
    },
  });
}

export async function updateModule(db: Db, actor: Actor, input: z.infer<typeof updateModuleInput>) {
  await requireModule(db, actor, input.id);
  const { id, ...data } = input;
  return db.module.update({ where: { id }, data });
}

export async function addStep(db: Db, actor: Actor, input: z.infer<typeof addStepInput>) {
  await requireModule(db, actor, input.moduleId);
  const last = await db.step.aggregate({
    where: { moduleId: input.moduleId },
    _max: { position: true },
  });
  return db.step.create({
    data: {
      moduleId: input.moduleId,
      title: input.title,
      position: (last._max.position ?? -1) + 1,
    },
  });
}

export async function updateStep(db: Db, actor: Actor, input: z.infer<typeof updateStepInput>) {
  await requireStep(db, actor, input.id);
  const { id, ...data } = input;
  // Stored verbatim; renderMarkdown escapes it on every render.
  return db.step.update({ where: { id }, data });
}

/** Moves a step to the end of another module of the same program. */
export async function moveStep(db: Db, actor: Actor, id: string, moduleId: string) {
  const step = await requireStep(db, actor, id);
  const target = await requireModule(db, actor, moduleId);
  if (target.programId !== step.module.programId)
    throw new DomainError("BAD_REQUEST", "A step can only move within its program.");
  if (step.moduleId === moduleId) return step;
  const last = await db.step.aggregate({ where: { moduleId }, _max: { position: true } });
  return db.step.update({
    where: { id },
    data: { moduleId, position: (last._max.position ?? -1) + 1 },
  });
}

const answeredExercise: Prisma.ExerciseWhereInput = {
  OR: [{ passes: { some: {} } }, { ticks: { some: {} } }],
};

/**
 * Members' answers must survive, and an answered exercise row is what keeps them in the journal,
 * so a step or module holding one cannot be deleted. Unanswered exercises go with it.
 */
async function deleteSteps(tx: Tx, where: Prisma.StepWhereInput, what: string) {
  const answered = await tx.exercise.count({ where: { step: where, ...answeredExercise } });
  if (answered > 0) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      `Members have answered ${answered === 1 ? "an exercise" : `${answered} exercises`} in this ${what}, so it cannot be deleted: their answers must stay in their journals. Rename or reword it instead, or delete the other parts.`,
    );
  }
  await tx.exercise.deleteMany({ where: { step: where } });
  await tx.step.deleteMany({ where });
}

export async function deleteStep(db: Db, actor: Actor, id: string) {
  await requireStep(db, actor, id);
  await db.$transaction((tx) => deleteSteps(tx, { id }, "step"));
  return { id };
}

export async function deleteModule(db: Db, actor: Actor, id: string) {
  await requireModule(db, actor, id);
  await db.$transaction(async (tx) => {
    await deleteSteps(tx, { moduleId: id }, "module");
    await tx.module.delete({ where: { id } });
  });
  return { id };
}

// ─── Exercises ──────────────────────────────────────────────────────────────────────────

export async function addExercise(db: Db, actor: Actor, input: AddExerciseInput) {
  await requireStep(db, actor, input.stepId);
  const last = await db.exercise.aggregate({
    where: { stepId: input.stepId },
    _max: { position: true },
  });
  return db.exercise.create({
    data: {
      stepId: input.stepId,
      kind: input.kind,
      prompt: input.prompt,
      config: input.config as Prisma.InputJsonObject,
      revisitAfterDays: input.revisitAfterDays,
      position: (last._max.position ?? -1) + 1,
    },
  });
}

export async function updateExercise(db: Db, actor: Actor, input: UpdateExerciseInput) {
  const exercise = await requireExercise(db, actor, input.id);
  if (exercise.kind !== input.kind) {
    throw new DomainError("BAD_REQUEST", "The kind of an exercise cannot change.", {
      kind: ["The kind of an exercise cannot change. Add a new exercise instead."],
    });
  }
  const program = exercise.step.module.program;
  const changed =
    exercise.prompt !== input.prompt ||
    JSON.stringify(exercise.config) !== JSON.stringify(input.config);
  // Once members may have seen it, a new wording is a new revision; their passes keep the
  // prompt snapshot they answered.
  const bump = changed && (program.status !== "DRAFT" || program.publishedAt !== null);
  return db.exercise.update({
    where: { id: input.id },
    data: {
      prompt: input.prompt,
      config: input.config as Prisma.InputJsonObject,
      revisitAfterDays: input.revisitAfterDays,
      ...(bump ? { revision: { increment: 1 } } : {}),
    },
  });
}

/** Answered exercises are soft-deleted so their answers stay in the journal. */
export async function deleteExercise(db: Db, actor: Actor, id: string) {
  await requireExercise(db, actor, id);
  return db.$transaction(async (tx) => {
    const answered = await tx.exercise.count({ where: { id, ...answeredExercise } });
    if (answered) {
      await tx.exercise.update({ where: { id }, data: { deletedAt: new Date() } });
      return { id, softDeleted: true };
    }
    await tx.exercise.delete({ where: { id } });
    return { id, softDeleted: false };
  });
}

// ─── Reordering ─────────────────────────────────────────────────────────────────────────

const STALE = "The order changed in another tab; reload.";

export async function reorder(db: Db, actor: Actor, input: ReorderInput) {
  if (input.kind === "modules") await requireProgram(db, actor, input.parentId);
  else if (input.kind === "steps") await requireModule(db, actor, input.parentId);
  else await requireStep(db, actor, input.parentId);

  await db.$transaction(async (tx) => {
    const current =
      input.kind === "modules"
        ? await tx.module.findMany({ where: { programId: input.parentId }, select: { id: true } })
        : input.kind === "steps"
          ? await tx.step.findMany({ where: { moduleId: input.parentId }, select: { id: true } })
          : await tx.exercise.findMany({
              where: { stepId: input.parentId, deletedAt: null },
              select: { id: true },
            });
    const wanted = new Set(input.orderedIds);
    const same =
      wanted.size === input.orderedIds.length &&
      current.length === wanted.size &&
      current.every((c) => wanted.has(c.id));
    if (!same) throw new DomainError("CONFLICT", STALE);

    // One UPDATE for the whole list; the table name is from a fixed set, never from input.
    const table = { modules: "Module", steps: "Step", exercises: "Exercise" }[input.kind];
    const positions = input.orderedIds.map((_, i) => i);
    await tx.$executeRawUnsafe(
      `UPDATE "${table}" AS t SET "position" = v.pos
       FROM unnest($1::text[], $2::int[]) AS v(id, pos) WHERE t."id" = v.id`,
      input.orderedIds,
      positions,
    );
  });
  return { ok: true as const };
}
