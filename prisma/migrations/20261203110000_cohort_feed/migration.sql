-- The cohort space: posts (with pinned announcements and shared answers), comments, reactions
-- and reports.
CREATE TYPE "CohortPostKind" AS ENUM ('POST', 'ANNOUNCEMENT', 'SHARED_ANSWER');
CREATE TYPE "ReactionKind" AS ENUM ('HEART', 'THANKS', 'SAME');

CREATE TABLE "CohortPost" (
    "id" TEXT NOT NULL,
    "cohortId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "kind" "CohortPostKind" NOT NULL DEFAULT 'POST',
    "body" TEXT NOT NULL DEFAULT '',
    "shareId" TEXT,
    "pinnedAt" TIMESTAMP(3),
    "hiddenAt" TIMESTAMP(3),
    "hiddenById" TEXT,
    "commentCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CohortPost_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CohortComment" (
    "id" TEXT NOT NULL,
    "postId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CohortComment_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CohortReaction" (
    "postId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" "ReactionKind" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CohortReaction_pkey" PRIMARY KEY ("postId","userId","kind")
);

CREATE TABLE "CohortReport" (
    "id" TEXT NOT NULL,
    "postId" TEXT NOT NULL,
    "reporterId" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CohortReport_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "CohortPost_shareId_key" ON "CohortPost"("shareId");
CREATE INDEX "CohortPost_cohortId_createdAt_id_idx" ON "CohortPost"("cohortId", "createdAt", "id");
CREATE INDEX "CohortPost_cohortId_pinnedAt_idx" ON "CohortPost"("cohortId", "pinnedAt");
CREATE INDEX "CohortPost_authorId_idx" ON "CohortPost"("authorId");
CREATE INDEX "CohortComment_postId_createdAt_id_idx" ON "CohortComment"("postId", "createdAt", "id");
CREATE INDEX "CohortComment_authorId_idx" ON "CohortComment"("authorId");
CREATE INDEX "CohortReaction_userId_idx" ON "CohortReaction"("userId");
CREATE UNIQUE INDEX "CohortReport_postId_reporterId_key" ON "CohortReport"("postId", "reporterId");
CREATE INDEX "CohortReport_reporterId_idx" ON "CohortReport"("reporterId");

ALTER TABLE "CohortPost" ADD CONSTRAINT "CohortPost_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortPost" ADD CONSTRAINT "CohortPost_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortPost" ADD CONSTRAINT "CohortPost_shareId_fkey" FOREIGN KEY ("shareId") REFERENCES "Share"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortComment" ADD CONSTRAINT "CohortComment_postId_fkey" FOREIGN KEY ("postId") REFERENCES "CohortPost"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortComment" ADD CONSTRAINT "CohortComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortReaction" ADD CONSTRAINT "CohortReaction_postId_fkey" FOREIGN KEY ("postId") REFERENCES "CohortPost"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortReaction" ADD CONSTRAINT "CohortReaction_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortReport" ADD CONSTRAINT "CohortReport_postId_fkey" FOREIGN KEY ("postId") REFERENCES "CohortPost"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CohortReport" ADD CONSTRAINT "CohortReport_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
