-- kindred:no-transaction
-- The coach's progress page reads a program's members a page at a time in enrolment order, and
-- its shared answers newest first: indexes that hold that order, so a page is read from the
-- index instead of sorting every enrolment or share of the program. Each replaces the index on
-- its leading columns (dropped after, so lookups by program always have one). Built without
-- blocking writes, which needs to run outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Enrolment_programId_createdAt_id_idx" ON "Enrolment"("programId", "createdAt", "id");
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Share_programId_revokedAt_createdAt_idx" ON "Share"("programId", "revokedAt", "createdAt");
DROP INDEX CONCURRENTLY IF EXISTS "Enrolment_programId_idx";
DROP INDEX CONCURRENTLY IF EXISTS "Share_programId_revokedAt_idx";
