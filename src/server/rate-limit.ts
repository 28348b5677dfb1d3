import type { Db } from "./db";
import { DomainError } from "./errors";

export type Limit = { bucket: string; key: string; max: number; windowSeconds: number };

/**
 * Sliding-window limits kept in Postgres, so they hold across processes and restarts.
 * Every attempt is recorded (refused ones too), so hammering never opens the window early.
 */
export async function checkRateLimits(
  db: Db,
  limits: Limit[],
  message: (limit: Limit, retryAfterSeconds: number) => string,
): Promise<void> {
  const now = Date.now();
  for (const limit of limits) {
    const since = new Date(now - limit.windowSeconds * 1000);
    const [count, oldest] = await Promise.all([
      db.rateLimitHit.count({
        where: { bucket: limit.bucket, key: limit.key, createdAt: { gt: since } },
      }),
      db.rateLimitHit.findFirst({
        where: { bucket: limit.bucket, key: limit.key, createdAt: { gt: since } },
        orderBy: { createdAt: "asc" },
        select: { createdAt: true },
      }),
    ]);
    await db.rateLimitHit.create({ data: { bucket: limit.bucket, key: limit.key } });
    if (count >= limit.max) {
      const retryAfter = oldest
        ? Math.max(
            1,
            Math.ceil((oldest.createdAt.getTime() + limit.windowSeconds * 1000 - now) / 1000),
          )
        : limit.windowSeconds;
      throw new DomainError("TOO_MANY_REQUESTS", message(limit, retryAfter));
    }
  }
}

/** Old hits are only useful inside their window; a job prunes them. */
export async function pruneRateLimitHits(db: Db, olderThanSeconds = 3600): Promise<number> {
  const { count } = await db.rateLimitHit.deleteMany({
    where: { createdAt: { lt: new Date(Date.now() - olderThanSeconds * 1000) } },
  });
  return count;
}
