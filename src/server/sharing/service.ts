import type { Prisma } from "@/generated/prisma/client";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { readSnapshot } from "../journal/fields";

/**
 * Sharing: a member's explicit, revocable consent to show ONE pass (a frozen snapshot) to the
 * coach of its program. Coaches otherwise see counts and progress only — never answer text.
 */

/** What a coach is shown: the answer and the prompt as they were when shared. */
export type ShareSnapshot = {
  kind: string;
  passNumber: number;
  answeredAt: string;
  prompt: {
    prompt: string;
    stepTitle: string;
    programTitle: string;
    config: Record<string, unknown>;
  };
  content: unknown;
};

/** The frozen copy of one pass that a share shows. */
export function snapshotOf(pass: {
  kind: string;
  passNumber: number;
  content: unknown;
  promptSnapshot: unknown;
  createdAt: Date;
}): ShareSnapshot {
  const prompt = readSnapshot(pass.promptSnapshot);
  return {
    kind: pass.kind,
    passNumber: pass.passNumber,
    answeredAt: pass.createdAt.toISOString(),
    prompt: {
      prompt: prompt.prompt,
      stepTitle: prompt.stepTitle,
      programTitle: prompt.programTitle,
      config: prompt.config,
    },
    content: pass.content,
  };
}

const shareRow = {
  id: true,
  passId: true,
  programId: true,
  audience: true,
  createdAt: true,
  revokedAt: true,
} as const;

/** Idempotent while not revoked: sharing the same pass twice returns the existing share. */
export async function sharePass(db: Db, userId: string, passId: string, audience: "COACH") {
  return db.$transaction(async (tx) => {
    const pass = await tx.answerPass.findFirst({
      where: { id: passId, userId },
      select: {
        id: true,
        programId: true,
        kind: true,
        passNumber: true,
        content: true,
        promptSnapshot: true,
        createdAt: true,
      },
    });
    if (!pass) throw new DomainError("NOT_FOUND", "There is no such answer in your journal.");
    // Serialises concurrent shares of one pass (two tabs), so "one active share" holds without a
    // partial unique index.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`share:${pass.id}`}))`;
    const existing = await tx.share.findFirst({
      where: { passId: pass.id, userId, audience, revokedAt: null },
      select: shareRow,
    });
    if (existing) return existing;
    const snapshot = snapshotOf(pass);
    return tx.share.create({
      data: {
        passId: pass.id,
        userId,
        programId: pass.programId,
        audience,
        snapshot: snapshot as unknown as Prisma.InputJsonObject,
      },
      select: shareRow,
    });
  });
}

export async function unshare(db: Db, userId: string, shareId: string) {
  const share = await db.share.findFirst({ where: { id: shareId, userId }, select: shareRow });
  if (!share) throw new DomainError("NOT_FOUND", "There is no such shared answer.");
  if (share.revokedAt) return share;
  return db.share.update({
    where: { id: share.id },
    // Un-sharing withdraws the words too: only the fact that something was shared remains.
    data: { revokedAt: new Date(), snapshot: {} },
    select: shareRow,
  });
}

/** My active shares, newest first. */
export async function myShares(db: Db, userId: string) {
  const rows = await db.share.findMany({
    where: { userId, revokedAt: null },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      ...shareRow,
      pass: { select: { exerciseId: true, passNumber: true, promptSnapshot: true } },
    },
  });
  return rows.map(({ pass, ...share }) => {
    const snapshot = readSnapshot(pass.promptSnapshot);
    return {
      ...share,
      exerciseId: pass.exerciseId,
      passNumber: pass.passNumber,
      prompt: snapshot.prompt,
      programTitle: snapshot.programTitle,
    };
  });
}

/** The coach's own programs (admins: any). Anything else is NOT_FOUND so ids cannot be probed. */
async function coachedProgram(
  db: Db,
  actor: SignedInUser,
  programId: string,
  options: { authorOnly?: boolean } = {},
) {
  const program = await db.program.findUnique({
    where: { id: programId },
    select: { id: true, title: true, authorId: true, status: true },
  });
  const allowed =
    program && (program.authorId === actor.id || (actor.role === "ADMIN" && !options.authorOnly));
  if (!allowed) throw new DomainError("NOT_FOUND", "There is no such program among yours.");
  return program;
}

/**
 * Members per page of the progress table: each row is one cell per module. 25 keep the page
 * near 100 kB of HTML; its rendering, not its SQL, is what a page costs (see docs/performance.md).
 */
export const PROGRESS_PAGE = 25;

/**
 * Shared snapshots per page: each shows a whole answer (a lens answer is six texts), so five keep
 * a page readable and light (twenty, with 50 members, made the page 205 kB of HTML).
 */
export const SHARED_PAGE = 5;

/**
 * One page of who is enrolled and how far they got: steps done per module, number of passes,
 * last active; in enrolment order, with the totals of the whole program. Counts only — this
 * payload never contains answer text. The same few bounded statements whatever the page or the
 * size of the program: the per-member reads only see the members of the page.
 */
export async function programProgress(
  db: Db,
  actor: SignedInUser,
  input: { programId: string; page: number },
) {
  const { programId, page } = input;
  const program = await coachedProgram(db, actor, programId);
  const [modules, enrolments, counts] = await Promise.all([
    db.module.findMany({
      where: { programId },
      orderBy: { position: "asc" },
      select: { id: true, title: true, _count: { select: { steps: true } } },
    }),
    db.enrolment.findMany({
      where: { programId },
      // Enrolment order, the id breaking ties so no member is on two pages or on none
      // (index Enrolment_programId_createdAt_id_idx).
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      skip: page * PROGRESS_PAGE,
      take: PROGRESS_PAGE + 1,
      select: {
        userId: true,
        createdAt: true,
        completedAt: true,
        user: { select: { name: true, email: true } },
      },
    }),
    // `_count` of a nullable column counts the rows where it is set.
    db.enrolment.aggregate({
      where: { programId },
      _count: { _all: true, completedAt: true },
    }),
  ]);
  const members = enrolments.slice(0, PROGRESS_PAGE);
  const userIds = members.map((e) => e.userId);
  const [done, passes] = userIds.length
    ? await Promise.all([
        db.$queryRaw<{ userId: string; moduleId: string; done: number; lastAt: Date }[]>`
          SELECT sc."userId", s."moduleId", count(*)::int AS "done", max(sc."completedAt") AS "lastAt"
            FROM "StepCompletion" sc
            JOIN "Step" s ON s."id" = sc."stepId"
            JOIN "Module" m ON m."id" = s."moduleId"
           WHERE m."programId" = ${programId} AND sc."userId" = ANY(${userIds})
           GROUP BY sc."userId", s."moduleId"`,
        // From the per-prompt aggregate kept on write, not from the passes themselves: a page of
        // 50 long-standing members has thousands of passes (43 ms on the bench population).
        db.exerciseProgress.groupBy({
          by: ["userId"],
          where: { programId, userId: { in: userIds } },
          _sum: { passCount: true },
          _max: { lastPassAt: true },
        }),
      ])
    : [[], []];

  const doneBy = new Map<string, number>();
  const lastBy = new Map<string, number>();
  const bump = (userId: string, at: Date | null | undefined) => {
    if (at) lastBy.set(userId, Math.max(lastBy.get(userId) ?? 0, new Date(at).getTime()));
  };
  for (const row of done) {
    doneBy.set(`${row.userId}:${row.moduleId}`, row.done);
    bump(row.userId, row.lastAt);
  }
  const passesBy = new Map(passes.map((p) => [p.userId, p._sum.passCount ?? 0]));
  for (const p of passes) bump(p.userId, p._max.lastPassAt);

  return {
    program: { id: program.id, title: program.title, status: program.status },
    modules: modules.map((m) => ({ id: m.id, title: m.title, steps: m._count.steps })),
    members: members.map((e) => {
      bump(e.userId, e.createdAt);
      return {
        userId: e.userId,
        name: e.user.name ?? e.user.email,
        enrolledAt: e.createdAt,
        completedAt: e.completedAt,
        passes: passesBy.get(e.userId) ?? 0,
        lastActiveAt: new Date(lastBy.get(e.userId) ?? e.createdAt.getTime()),
        modules: modules.map((m) => ({
          moduleId: m.id,
          done: doneBy.get(`${e.userId}:${m.id}`) ?? 0,
          total: m._count.steps,
        })),
      };
    }),
    page,
    pageSize: PROGRESS_PAGE,
    total: counts._count._all,
    completed: counts._count.completedAt,
    hasMore: enrolments.length > PROGRESS_PAGE,
  };
}

/** One page of the snapshots members chose to share with this program's coach, newest first. */
export async function sharedAnswers(
  db: Db,
  actor: SignedInUser,
  input: { programId: string; page: number },
) {
  const { programId, page } = input;
  // A member shares with the coach of the program, not with the business: admins see
  // progress counts of any program, but shared snapshots only of programs they author.
  await coachedProgram(db, actor, programId, { authorOnly: true });
  const where = { programId, audience: "COACH", revokedAt: null } as const;
  const [rows, total] = await Promise.all([
    db.share.findMany({
      where,
      // Newest first, the id breaking ties (index Share_programId_audience_createdAt_id_idx).
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: page * SHARED_PAGE,
      take: SHARED_PAGE + 1,
      select: {
        id: true,
        createdAt: true,
        snapshot: true,
        user: { select: { name: true, email: true } },
      },
    }),
    db.share.count({ where }),
  ]);
  return {
    items: rows.slice(0, SHARED_PAGE).map((r) => ({
      id: r.id,
      sharedAt: r.createdAt,
      memberName: r.user.name ?? r.user.email,
      snapshot: r.snapshot as unknown as ShareSnapshot,
    })),
    page,
    pageSize: SHARED_PAGE,
    total,
    hasMore: rows.length > SHARED_PAGE,
  };
}
