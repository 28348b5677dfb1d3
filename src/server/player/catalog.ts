import type { Prisma } from "@/generated/prisma/client";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { decideAccess, liveGrants, programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import { enrolmentOf, outline, outlineOf, programFacts, publicAccess } from "./access";
import { accessLabel, priceOf, sellingPlanSelect, sellingPlansWhere } from "./selling";

/**
 * The catalog's order: the position a program's coach (or an admin) gave it, lower first; ties
 * newest first, so a program nobody placed shows as before.
 */
export const catalogOrder = [
  { catalogPosition: "asc" as const },
  { publishedAt: { sort: "desc" as const, nulls: "last" as const } },
  { title: "asc" as const },
  { id: "asc" as const },
];

/** What a card and a program page show about a program besides its title. */
const cardFacts = {
  summary: true,
  coverImage: true,
  minutesPerStep: true,
  author: { select: { name: true } },
  _count: { select: { enrolments: true } },
} as const;

const coachName = (author: { name: string | null }) => author.name?.trim() || "Your coach";

/** The catalog's programs: published ones, plus any the member is enrolled in. */
export const inCatalog = (userId: string): Prisma.ProgramWhereInput => ({
  OR: [{ status: "PUBLISHED" }, { enrolments: { some: { userId } } }],
});

/** Published programs, plus any the member is enrolled in (read-only once unpublished). */
export async function catalog(db: Db, user: SignedInUser, now = new Date()) {
  const [programs, comps, plans] = await Promise.all([
    db.program.findMany({
      where: inCatalog(user.id),
      orderBy: catalogOrder,
      select: {
        ...programFacts,
        ...cardFacts,
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
    db.plan.findMany({ where: sellingPlansWhere, select: sellingPlanSelect }),
  ]);
  return programs.map((p) => {
    const steps = p.modules.flatMap((m) => m.steps);
    const enrolment = p.enrolments[0] ?? null;
    const access = decideAccess(user, p, comps);
    return {
      id: p.id,
      slug: p.slug,
      title: p.title,
      summary: p.summary,
      coverImage: p.coverImage,
      coach: coachName(p.author),
      modulesCount: p.modules.length,
      stepsCount: steps.length,
      minutesPerStep: p.minutesPerStep,
      members: p._count.enrolments,
      price: priceOf(p, plans),
      accessLabel: accessLabel(access),
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
  });
}

/** A program's page: its outline with the member's progress, locks and access. */
export async function programOverview(db: Db, user: SignedInUser, slug: string, now = new Date()) {
  const [program, plans] = await Promise.all([
    db.program.findUnique({
      where: { slug },
      select: {
        ...programFacts,
        ...cardFacts,
        enrolments: enrolmentOf(user.id),
        modules: outlineOf(user.id),
      },
    }),
    db.plan.findMany({ where: sellingPlansWhere, select: sellingPlanSelect }),
  ]);
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
      coverImage: program.coverImage,
      coach: coachName(program.author),
      minutesPerStep: program.minutesPerStep,
      members: program._count.enrolments,
      price: priceOf(program, plans),
      accessLabel: accessLabel(access),
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
