-- What the journal, the Today page and the practices read per member, kept on write instead of
-- grouping a member's whole history on every read.
CREATE TABLE "ExerciseProgress" (
    "userId" TEXT NOT NULL,
    "exerciseId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "kind" "ExerciseKind" NOT NULL,
    "passCount" INTEGER NOT NULL,
    "firstPassAt" TIMESTAMP(3) NOT NULL,
    "lastPassAt" TIMESTAMP(3) NOT NULL,
    "lastPassId" TEXT NOT NULL,

    CONSTRAINT "ExerciseProgress_pkey" PRIMARY KEY ("userId","exerciseId")
);

CREATE INDEX "ExerciseProgress_userId_lastPassAt_idx" ON "ExerciseProgress"("userId", "lastPassAt");

ALTER TABLE "ExerciseProgress" ADD CONSTRAINT "ExerciseProgress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ExerciseProgress" ADD CONSTRAINT "ExerciseProgress_exerciseId_fkey" FOREIGN KEY ("exerciseId") REFERENCES "Exercise"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "PracticeTotal" (
    "userId" TEXT NOT NULL,
    "exerciseId" TEXT NOT NULL,
    "practiceKey" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "lastTickedAt" TIMESTAMP(3),

    CONSTRAINT "PracticeTotal_pkey" PRIMARY KEY ("userId","exerciseId","practiceKey")
);

ALTER TABLE "PracticeTotal" ADD CONSTRAINT "PracticeTotal_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PracticeTotal" ADD CONSTRAINT "PracticeTotal_exerciseId_fkey" FOREIGN KEY ("exerciseId") REFERENCES "Exercise"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An undone tick finds the practice's previous tick without scanning everyone's ticks.
CREATE INDEX "PracticeTick_userId_exerciseId_practiceKey_createdAt_idx" ON "PracticeTick"("userId", "exerciseId", "practiceKey", "createdAt");

-- Rebuilds every aggregate kept on write from the history (streak and activity, answered
-- prompts, practice totals): once below, and by seeds and benchmarks that write history directly.
CREATE FUNCTION kindred_rebuild_aggregates() RETURNS void LANGUAGE sql AS $fn$
  SELECT kindred_rebuild_member_activity();

  DELETE FROM "ExerciseProgress";
  INSERT INTO "ExerciseProgress"
    ("userId", "exerciseId", "programId", "kind", "passCount", "firstPassAt", "lastPassAt", "lastPassId")
  SELECT DISTINCT ON (p."userId", p."exerciseId")
         p."userId", p."exerciseId", p."programId", p."kind",
         count(*) OVER w, min(p."createdAt") OVER w, p."createdAt", p."id"
  FROM "AnswerPass" p
  WINDOW w AS (PARTITION BY p."userId", p."exerciseId")
  ORDER BY p."userId", p."exerciseId", p."passNumber" DESC;

  DELETE FROM "PracticeTotal";
  INSERT INTO "PracticeTotal" ("userId", "exerciseId", "practiceKey", "count", "lastTickedAt")
  SELECT "userId", "exerciseId", "practiceKey", count(*)::int, max("createdAt")
  FROM "PracticeTick"
  GROUP BY 1, 2, 3;
$fn$;

SELECT kindred_rebuild_aggregates();
