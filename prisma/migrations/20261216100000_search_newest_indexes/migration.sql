-- kindred:no-transaction
-- Search shows the newest matching posts and comments of the cohorts a member may read. With
-- these, PostgreSQL walks them newest first and stops at the page (a common word matched 3,000
-- of the bench cohort's 10,000 comments, all of which were read and sorted: 10.6 ms -> 0.15 ms
-- for comments, 5.0 -> 0.19 ms for posts). Built CONCURRENTLY: posting goes on meanwhile.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "CohortPost_createdAt_id_idx" ON "CohortPost"("createdAt", "id");
CREATE INDEX CONCURRENTLY IF NOT EXISTS "CohortComment_createdAt_id_idx" ON "CohortComment"("createdAt", "id");
