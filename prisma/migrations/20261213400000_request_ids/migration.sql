-- kindred:no-transaction
-- A practice tick and a commitment check-in carry an id the member's browser made for that
-- press, so the browser may send it again by itself after an outage: a retry whose first try
-- was recorded gets that row back instead of a second tick or check-in. Nullable (older rows,
-- and callers that send none); indexes built without blocking writes.
ALTER TABLE "PracticeTick" ADD COLUMN IF NOT EXISTS "requestId" TEXT;
ALTER TABLE "CommitmentCheckIn" ADD COLUMN IF NOT EXISTS "requestId" TEXT;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "PracticeTick_userId_requestId_key" ON "PracticeTick"("userId", "requestId");
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "CommitmentCheckIn_commitmentId_requestId_key" ON "CommitmentCheckIn"("commitmentId", "requestId");
