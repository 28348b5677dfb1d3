-- kindred:no-transaction
-- The retention job (src/server/privacy/retention.ts) removes expired sessions and sign-in links
-- every hour: by these indexes, not by reading the whole table. Built CONCURRENTLY, outside a
-- transaction, so sign-ins go on while they build.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Session_expires_idx" ON "Session"("expires");
CREATE INDEX CONCURRENTLY IF NOT EXISTS "VerificationToken_expires_idx" ON "VerificationToken"("expires");
