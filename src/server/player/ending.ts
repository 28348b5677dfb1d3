import { dateColumnDay, dayToDateColumn, localDay } from "@/lib/time-zone";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import { enrolmentOf, gate, programFacts } from "./access";
import { catalogOrder } from "./catalog";
import { revisitState } from "./logic";

/** Revisits listed on the ending; the rest are in the journal. */
export const ENDING_REVISITS = 5;

/**
 * The end of a program for the member who went through it: what they did (their answers, people
 * added to their map, commitments made, all counted from their own rows), when their prompts
 * come back, and what could come next (programs not started yet in catalog order, open cohorts).
 * Only counts and the program's own prompts: nothing a member wrote is read here.
 */
export async function programEnding(db: Db, user: SignedInUser, slug: string, now = new Date()) {
  const program = await db.program.findUnique({
    where: { slug },
    select: {
      ...programFacts,
      enrolments: enrolmentOf(user.id),
      modules: { select: { _count: { select: { steps: true } } } },
    },
  });
  if (!program) throw new DomainError("NOT_FOUND", "We could not find that program.");
  const enrolment = program.enrolments[0] ?? null;
  gate(await programAccess(db, user, program, now), program, enrolment, "read");

  const passes = await db.answerPass.findMany({
    where: { userId: user.id, programId: program.id },
    select: { id: true },
  });
  const passIds = passes.map((p) => p.id);
  const [people, commitments, answered, completions, programs, cohorts] = await Promise.all([
    db.person.count({ where: { userId: user.id, sourcePassId: { in: passIds } } }),
    db.commitment.count({ where: { userId: user.id, sourcePassId: { in: passIds } } }),
    db.exerciseProgress.findMany({
      where: {
        userId: user.id,
        programId: program.id,
        exercise: { deletedAt: null, revisitAfterDays: { not: null } },
      },
      select: {
        lastPassAt: true,
        passCount: true,
        exercise: {
          select: {
            id: true,
            prompt: true,
            kind: true,
            revisitAfterDays: true,
            stepId: true,
          },
        },
      },
    }),
    db.stepCompletion.count({
      where: { userId: user.id, step: { module: { programId: program.id } } },
    }),
    db.program.findMany({
      where: {
        status: "PUBLISHED",
        id: { not: program.id },
        enrolments: { none: { userId: user.id } },
      },
      orderBy: catalogOrder,
      take: 2,
      select: { id: true, slug: true, title: true, summary: true },
    }),
    db.cohort.findMany({
      where: {
        finishedAt: null,
        enrolmentOpen: true,
        program: { status: "PUBLISHED" },
        startDate: { gte: dayToDateColumn(localDay(now, user.timeZone)) },
        members: { none: { userId: user.id } },
      },
      orderBy: [{ startDate: "asc" }, { id: "asc" }],
      take: 2,
      select: {
        id: true,
        name: true,
        slug: true,
        startDate: true,
        program: { select: { title: true, slug: true } },
      },
    }),
  ]);

  const revisits = answered
    .flatMap(({ exercise: e, lastPassAt, passCount }) => {
      const state = revisitState(
        e.kind,
        e.revisitAfterDays,
        { createdAt: lastPassAt, passNumber: passCount },
        now,
        user.timeZone,
      );
      return state.nextDueAt
        ? [{ exerciseId: e.id, stepId: e.stepId, prompt: e.prompt, dueAt: state.nextDueAt }]
        : [];
    })
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());

  return {
    program: { id: program.id, slug: program.slug, title: program.title },
    completed: Boolean(enrolment.completedAt),
    completedAt: enrolment.completedAt,
    steps: {
      done: completions,
      total: program.modules.reduce((n, m) => n + m._count.steps, 0),
    },
    counts: { answers: passes.length, people, commitments },
    revisits: revisits.slice(0, ENDING_REVISITS),
    moreRevisits: revisits.length > ENDING_REVISITS,
    next: {
      programs,
      cohorts: cohorts.map((c) => ({
        id: c.id,
        name: c.name,
        slug: c.slug,
        startDay: dateColumnDay(c.startDate),
        programTitle: c.program.title,
        programSlug: c.program.slug,
      })),
    },
  };
}
