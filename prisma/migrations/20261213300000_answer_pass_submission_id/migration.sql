-- kindred:no-transaction
-- A submit carries an id the member's browser made for it, so that sending it again after an
-- outage (when the first try may have been recorded but its answer never came back) returns
-- the pass already recorded instead of a refusal or a second pass. Nullable: older passes, and
-- clients that send none, have no id; PostgreSQL's unique index lets NULLs repeat.
-- Outside a transaction so the index builds without blocking writes to a large AnswerPass
-- (adding a nullable column without a default only touches the catalog).
ALTER TABLE "AnswerPass" ADD COLUMN IF NOT EXISTS "submissionId" TEXT;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "AnswerPass_userId_submissionId_key" ON "AnswerPass"("userId", "submissionId");
