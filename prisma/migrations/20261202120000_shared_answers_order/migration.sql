-- kindred:no-transaction
-- The coach's shared answers are read newest first with the id breaking ties, filtered on
-- audience and revokedAt. The index of the previous migration ends in ("revokedAt", "createdAt"):
-- PostgreSQL does not treat `"revokedAt" IS NULL` as fixing that column, so it could not read the
-- order from the index and sorted every share of the program, joining each to its member first
-- (4-8 ms for 1,500 shares). This one holds the order itself; revoked shares are skipped while
-- walking it (0.1 ms for a page). Built without blocking writes, outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Share_programId_audience_createdAt_id_idx" ON "Share"("programId", "audience", "createdAt", "id");
DROP INDEX CONCURRENTLY IF EXISTS "Share_programId_revokedAt_createdAt_idx";
