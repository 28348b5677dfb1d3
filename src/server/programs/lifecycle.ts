import { recordAudit } from "../audit/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/errors";
import { DomainError } from "../errors";
import { configSchemas, type ExerciseKindName } from "./exercise-kinds";
import { requireProgram } from "./ownership";
import { getProgram } from "./read";
import { PROGRAM_LIMITS, type UpdateProgramInput } from "./schemas";
import { withFreeSlug } from "./slugs";

/** A program's life: create, edit its details, publish, archive, duplicate. */
export async function createProgram(db: Db, actor: SignedInUser, title: string) {
  return withFreeSlug(db, title, (slug) =>
    db.program.create({ data: { title, slug, authorId: actor.id } }),
  );
}

export async function updateProgram(db: Db, actor: SignedInUser, input: UpdateProgramInput) {
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

/**
 * The program's place in the members' catalog (lower first, ties newest first). A coach places
 * their own programs, an admin any; someone else's program is NOT_FOUND.
 */
export async function setCatalogPosition(
  db: Db,
  actor: SignedInUser,
  input: { id: string; position: number },
) {
  await requireProgram(db, actor, input.id);
  return db.program.update({
    where: { id: input.id },
    data: { catalogPosition: input.position },
    select: { id: true, catalogPosition: true },
  });
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

export async function publishProgram(db: Db, actor: SignedInUser, id: string) {
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

export async function archiveProgram(db: Db, actor: SignedInUser, id: string, archive: boolean) {
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
export async function duplicateProgram(db: Db, actor: SignedInUser, id: string) {
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
          minutesPerStep: source.minutesPerStep,
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
