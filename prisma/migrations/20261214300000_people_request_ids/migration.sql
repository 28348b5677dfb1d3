-- kindred:no-transaction
-- Adding a person to the map and logging a reach-out carry an id the browser made for that
-- press, as ticks and check-ins do (20261213400000_request_ids): the browser sends them again
-- by itself after an outage, and a retry whose first try was recorded gets that row back
-- instead of a second person or reach-out. Nullable; indexes built without blocking writes.
ALTER TABLE "Person" ADD COLUMN IF NOT EXISTS "requestId" TEXT;
ALTER TABLE "ReachOut" ADD COLUMN IF NOT EXISTS "requestId" TEXT;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Person_userId_requestId_key" ON "Person"("userId", "requestId");
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "ReachOut_userId_requestId_key" ON "ReachOut"("userId", "requestId");
