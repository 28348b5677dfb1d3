import type { Db } from "./db";
import { DomainError } from "./errors";

export type Limit = { bucket: string; key: string; max: number; windowSeconds: number };

/**
 * Sliding-window limits kept in Postgres, so they hold across processes and restarts.
 * Each limit is checked and recorded under a transaction-scoped advisory lock on its key, so
 * concurrent requests (several tabs, a batched tRPC call, a script) cannot all slip under the
 * limit together. Only accepted attempts are recorded: hammering a refused address does not
 * keep it locked out past its window.
 */
export async function checkRateLimits(
  db: Db,
  limits: Limit[],
  message: (limit: Limit, retryAfterSeconds: number) => string,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const now = Date.now();
    for (const limit of limits) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${limit.bucket}:${limit.key}`}))`;
      const since = new Date(now - limit.windowSeconds * 1000);
      const hits = await tx.rateLimitHit.findMany({
        where: { bucket: limit.bucket, key: limit.key, createdAt: { gt: since } },
        orderBy: { createdAt: "asc" },
        select: { createdAt: true },
        take: limit.max,
      });
      if (hits.length >= limit.max) {
        const oldest = hits[0]!.createdAt.getTime();
        const retryAfter = Math.max(
          1,
          Math.ceil((oldest + limit.windowSeconds * 1000 - now) / 1000),
        );
        throw new DomainError("TOO_MANY_REQUESTS", message(limit, retryAfter));
      }
    }
    await tx.rateLimitHit.createMany({
      data: limits.map((limit) => ({ bucket: limit.bucket, key: limit.key })),
    });
  });
}

/** Old hits are only useful inside their window; a job prunes them. */
export async function pruneRateLimitHits(db: Db, olderThanSeconds = 3600): Promise<number> {
  const { count } = await db.rateLimitHit.deleteMany({
    where: { createdAt: { lt: new Date(Date.now() - olderThanSeconds * 1000) } },
  });
  return count;
}
