import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { requireModule, requireProgram, requireStep } from "./ownership";
import type { ReorderInput } from "./schemas";

const STALE = "The order changed in another tab; reload.";

export async function reorder(db: Db, actor: SignedInUser, input: ReorderInput) {
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
