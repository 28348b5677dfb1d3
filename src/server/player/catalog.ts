import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { decideAccess, liveGrants, programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import { enrolmentOf, outline, outlineOf, programFacts, publicAccess } from "./access";

/** Published programs, plus any the member is enrolled in (read-only once unpublished). */
export async function catalog(db: Db, user: SignedInUser, now = new Date()) {
  const [programs, comps] = await Promise.all([
    db.program.findMany({
      where: { OR: [{ status: "PUBLISHED" }, { enrolments: { some: { userId: user.id } } }] },
      orderBy: [{ publishedAt: "desc" }, { title: "asc" }],
      select: {
        ...programFacts,
        summary: true,
        coverImage: true,
        enrolments: enrolmentOf(user.id),
        modules: {
          select: {
            steps: {
              select: {
                id: true,
                completions: { where: { userId: user.id }, select: { id: true } },
              },
            },
          },
        },
      },
    }),
    // One read of the member's comps answers the access question for every program.
    liveGrants(db, user.id, now),
  ]);
  return programs.map((p) => {
    const steps = p.modules.flatMap((m) => m.steps);
    const enrolment = p.enrolments[0] ?? null;
    return {
      id: p.id,
      slug: p.slug,
      title: p.title,
      summary: p.summary,
      pacing: p.pacing,
      accessRule: p.accessRule,
      access: publicAccess(decideAccess(user, p, comps)),
      enrolled: Boolean(enrolment),
      currentStepId: enrolment?.currentStepId ?? null,
      completed: Boolean(enrolment?.completedAt),
      progress: {
        done: steps.filter((s) => s.completions.length > 0).length,
        total: steps.length,
      },
    };
  });
}

/** A program's page: its outline with the member's progress, locks and access. */
export async function programOverview(db: Db, user: SignedInUser, slug: string, now = new Date()) {
  const program = await db.program.findUnique({
    where: { slug },
    select: {
      ...programFacts,
      summary: true,
      enrolments: enrolmentOf(user.id),
      modules: outlineOf(user.id),
    },
  });
  if (!program) throw new DomainError("NOT_FOUND", "We could not find that program.");
  const access = await programAccess(db, user, program, now);
  const enrolment = program.enrolments[0] ?? null;
  if (!access.canOpen && !enrolment && program.status !== "PUBLISHED") {
    throw new DomainError("NOT_FOUND", "We could not find that program.");
  }
  const o = outline(program, program.modules, enrolment, now, user.timeZone);
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
