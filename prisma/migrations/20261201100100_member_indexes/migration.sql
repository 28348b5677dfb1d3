-- kindred:no-transaction
-- Reach-outs and shares are read by member (streak rebuilds, exports, a member's shares); on a
-- large table these build without blocking writes, which needs to run outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "ReachOut_userId_at_idx" ON "ReachOut"("userId", "at");
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Share_userId_idx" ON "Share"("userId");
