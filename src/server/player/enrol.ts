import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/errors";
import { programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import { ensureNudgeSettings } from "../nudges/preferences";
import { programFacts } from "./access";

/** Enrols the caller (idempotent: a second click, or two at once, returns the same enrolment). */
export async function enrol(db: Db, user: SignedInUser, programId: string, now = new Date()) {
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
  const access = await programAccess(db, user, program, now);
  if (!access.canAnswer) {
    if (!access.canOpen && program.status !== "PUBLISHED") {
      throw new DomainError("NOT_FOUND", "We could not find that program.");
    }
    throw new DomainError("FORBIDDEN", access.reason ?? "You do not have access to this program.");
  }
  const firstStepId = program.modules.flatMap((m) => m.steps)[0]?.id ?? null;
  const key = { userId_programId: { userId: user.id, programId } };
  const select = { id: true, createdAt: true, currentStepId: true } as const;
  try {
    const enrolment = await db.enrolment.upsert({
      where: key,
      create: { userId: user.id, programId, currentStepId: firstStepId, createdAt: now },
      update: {},
      select,
    });
    // Something to be reminded of from now on: the reminder settings start with the defaults.
    await ensureNudgeSettings(db, user.id, now);
    return { ...enrolment, slug: program.slug };
  } catch (error) {
    // Two clicks at once: the other request created it.
    if (!isUniqueViolation(error)) throw error;
    const enrolment = await db.enrolment.findUniqueOrThrow({ where: key, select });
    return { ...enrolment, slug: program.slug };
  }
}
