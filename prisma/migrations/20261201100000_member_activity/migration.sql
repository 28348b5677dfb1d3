-- The streak and "last active" kept on write instead of scanned from history on every read.
CREATE TABLE "MemberActivity" (
    "userId" TEXT NOT NULL,
    "firstActiveDay" DATE NOT NULL,
    "lastActiveDay" DATE NOT NULL,
    "streakStartDay" DATE NOT NULL,
    "activeDays" INTEGER NOT NULL DEFAULT 1,
    "lastActiveAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberActivity_pkey" PRIMARY KEY ("userId")
);

ALTER TABLE "MemberActivity" ADD CONSTRAINT "MemberActivity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rebuilds members' rows from their history (passes, practice ticks, reach-outs, check-ins),
-- counting days in each member's zone (UTC where the database does not know the zone). Used
-- once below, and by seeds and benchmarks that write history directly.
CREATE FUNCTION kindred_rebuild_member_activity() RETURNS void LANGUAGE sql AS $fn$
  WITH acts AS (
    SELECT "userId", "createdAt" AS at FROM "AnswerPass"
    UNION ALL SELECT "userId", "createdAt" FROM "PracticeTick"
    UNION ALL SELECT "userId", "at" FROM "ReachOut"
    UNION ALL SELECT m."userId", c."createdAt" FROM "CommitmentCheckIn" c
      JOIN "Commitment" m ON m."id" = c."commitmentId"
  ), zones AS (
    SELECT u."id",
           CASE WHEN EXISTS (SELECT 1 FROM pg_timezone_names t WHERE t.name = u."timeZone")
                THEN u."timeZone" ELSE 'UTC' END AS zone
    FROM "User" u
  ), days AS (
    SELECT a."userId", ((a.at AT TIME ZONE 'UTC') AT TIME ZONE z.zone)::date AS day, max(a.at) AS last_at
    FROM acts a JOIN zones z ON z."id" = a."userId"
    GROUP BY 1, 2
  ), islands AS (
    SELECT "userId", day, last_at,
           day - (row_number() OVER (PARTITION BY "userId" ORDER BY day))::int AS island
    FROM days
  ), latest AS (
    SELECT DISTINCT ON ("userId") "userId", island FROM islands ORDER BY "userId", day DESC
  )
  INSERT INTO "MemberActivity"
    ("userId", "firstActiveDay", "lastActiveDay", "streakStartDay", "activeDays", "lastActiveAt")
  SELECT i."userId", min(i.day), max(i.day), min(i.day) FILTER (WHERE i.island = l.island),
         count(*)::int, max(i.last_at)
  FROM islands i JOIN latest l ON l."userId" = i."userId"
  GROUP BY i."userId"
  ON CONFLICT ("userId") DO UPDATE SET
    "firstActiveDay" = EXCLUDED."firstActiveDay",
    "lastActiveDay" = EXCLUDED."lastActiveDay",
    "streakStartDay" = EXCLUDED."streakStartDay",
    "activeDays" = EXCLUDED."activeDays",
    "lastActiveAt" = EXCLUDED."lastActiveAt";
$fn$;

SELECT kindred_rebuild_member_activity();

-- Steps left incomplete by the race fixed with this release (two exercises of one step
-- submitted at once): every live exercise answered means the step is done.
INSERT INTO "StepCompletion" ("id", "userId", "stepId", "completedAt")
SELECT 'repair_' || md5(e."userId" || ':' || s."id"), e."userId", s."id", now()
FROM "Enrolment" e
JOIN "Module" m ON m."programId" = e."programId"
JOIN "Step" s ON s."moduleId" = m."id"
WHERE EXISTS (SELECT 1 FROM "Exercise" x WHERE x."stepId" = s."id" AND x."deletedAt" IS NULL)
  AND NOT EXISTS (
    SELECT 1 FROM "Exercise" x
    WHERE x."stepId" = s."id" AND x."deletedAt" IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM "AnswerPass" p WHERE p."exerciseId" = x."id" AND p."userId" = e."userId"
      )
  )
ON CONFLICT ("userId", "stepId") DO NOTHING;
