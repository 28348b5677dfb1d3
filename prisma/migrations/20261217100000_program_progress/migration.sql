-- Steps done and answers given, per member and program, kept on write (issue 7): the coach's
-- cohort roster filters, sorts and counts its members from these rows instead of grouping every
-- member's completions and answers on every page. Triggers keep them in the transaction of the
-- write that changes them, so every writer counts: a step completed in the player, a step deleted
-- by its author, an account deleted, a seed or an import in SQL. The account and the program take
-- their rows with them (cascade).
CREATE TABLE "ProgramProgress" (
    "userId" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "stepsDone" INTEGER NOT NULL DEFAULT 0,
    "lastStepAt" TIMESTAMP(3),
    "answers" INTEGER NOT NULL DEFAULT 0,
    "latestActions" TIMESTAMP(3)[],

    CONSTRAINT "ProgramProgress_pkey" PRIMARY KEY ("userId","programId")
);

ALTER TABLE "ProgramProgress" ADD CONSTRAINT "ProgramProgress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ProgramProgress" ADD CONSTRAINT "ProgramProgress_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The instants of a member's latest actions in a program (steps completed, answers given), newest
-- first, at most 32: the roster counts the actions of its two-week window from these, and reads
-- the history only for a member with 32 or more in the window.
CREATE FUNCTION kindred_latest_actions(instants TIMESTAMP(3)[]) RETURNS TIMESTAMP(3)[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(t ORDER BY t DESC), '{}')
    FROM (SELECT t FROM unnest(instants) AS t ORDER BY t DESC LIMIT 32) x
$$;

CREATE FUNCTION kindred_recent_actions(member TEXT, program TEXT) RETURNS TIMESTAMP(3)[]
LANGUAGE sql STABLE AS $$
  SELECT kindred_latest_actions(ARRAY(
    (SELECT sc."completedAt" FROM "StepCompletion" sc
       JOIN "Step" s ON s."id" = sc."stepId"
       JOIN "Module" m ON m."id" = s."moduleId"
      WHERE sc."userId" = member AND m."programId" = program
      ORDER BY 1 DESC LIMIT 32)
    UNION ALL
    (SELECT a."createdAt" FROM "AnswerPass" a
      WHERE a."userId" = member AND a."programId" = program
      ORDER BY 1 DESC LIMIT 32)))
$$;

-- Counts a member's steps and latest actions again from their history: after a completion or an
-- answer is removed or changed (rare: a step deleted with its completions, an account deleted),
-- whose step may be gone already, so its program cannot be looked up.
CREATE FUNCTION kindred_recount_progress(members TEXT[]) RETURNS void LANGUAGE sql AS $$
  UPDATE "ProgramProgress" p SET ("stepsDone", "lastStepAt") = (
      SELECT count(*)::int, max(sc."completedAt")
        FROM "StepCompletion" sc
        JOIN "Step" s ON s."id" = sc."stepId"
        JOIN "Module" m ON m."id" = s."moduleId"
       WHERE sc."userId" = p."userId" AND m."programId" = p."programId"),
    "latestActions" = kindred_recent_actions(p."userId", p."programId")
   WHERE p."userId" = ANY(members)
$$;

-- Completions. New ones add to their program's count (one upsert per member and program of the
-- statement). Removed or changed ones (rare: a step deleted with its completions, an account
-- deleted) have their members' counts taken again from their completions, a read bounded by the
-- steps those members completed: the step of a completion deleted with it is gone already, so
-- its program cannot be looked up.
CREATE FUNCTION "kindred_step_progress"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "ProgramProgress" ("userId", "programId", "stepsDone", "lastStepAt", "latestActions")
    SELECT n."userId", m."programId", count(*)::int, max(n."completedAt"),
           kindred_latest_actions(array_agg(n."completedAt"))
      FROM new_rows n
      JOIN "Step" s ON s."id" = n."stepId"
      JOIN "Module" m ON m."id" = s."moduleId"
     GROUP BY n."userId", m."programId"
    ON CONFLICT ("userId", "programId") DO UPDATE SET
      "stepsDone" = "ProgramProgress"."stepsDone" + EXCLUDED."stepsDone",
      "lastStepAt" = GREATEST("ProgramProgress"."lastStepAt", EXCLUDED."lastStepAt"),
      "latestActions" = kindred_latest_actions("ProgramProgress"."latestActions" || EXCLUDED."latestActions");
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO "ProgramProgress" ("userId", "programId")
    SELECT DISTINCT n."userId", m."programId"
      FROM new_rows n
      JOIN "Step" s ON s."id" = n."stepId"
      JOIN "Module" m ON m."id" = s."moduleId"
    ON CONFLICT ("userId", "programId") DO NOTHING;
    PERFORM kindred_recount_progress(ARRAY(SELECT "userId" FROM old_rows
                                           UNION SELECT "userId" FROM new_rows));
    RETURN NULL;
  END IF;
  PERFORM kindred_recount_progress(ARRAY(SELECT DISTINCT "userId" FROM old_rows));
  RETURN NULL;
END
$$;

CREATE TRIGGER "StepCompletion_progress_insert" AFTER INSERT ON "StepCompletion"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "kindred_step_progress"();
CREATE TRIGGER "StepCompletion_progress_update" AFTER UPDATE ON "StepCompletion"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kindred_step_progress"();
CREATE TRIGGER "StepCompletion_progress_delete" AFTER DELETE ON "StepCompletion"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "kindred_step_progress"();

-- Answers: the sum of the per-prompt pass counts kept with every pass (ExerciseProgress), so
-- it is the count the roster always showed. Every change adds its difference.
CREATE FUNCTION "kindred_answer_progress"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "ProgramProgress" ("userId", "programId", "answers")
    SELECT "userId", "programId", sum("passCount")::int FROM new_rows GROUP BY "userId", "programId"
    ON CONFLICT ("userId", "programId") DO UPDATE SET
      "answers" = "ProgramProgress"."answers" + EXCLUDED."answers";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "ProgramProgress" ("userId", "programId", "answers")
    SELECT "userId", "programId", sum(d)::int
      FROM (SELECT "userId", "programId", "passCount" AS d FROM new_rows
            UNION ALL SELECT "userId", "programId", -"passCount" FROM old_rows) c
     GROUP BY "userId", "programId"
    ON CONFLICT ("userId", "programId") DO UPDATE SET
      "answers" = "ProgramProgress"."answers" + EXCLUDED."answers";
  ELSE
    UPDATE "ProgramProgress" p SET "answers" = p."answers" - o.n
      FROM (SELECT "userId", "programId", sum("passCount")::int AS n FROM old_rows
             GROUP BY "userId", "programId") o
     WHERE p."userId" = o."userId" AND p."programId" = o."programId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ExerciseProgress_progress_insert" AFTER INSERT ON "ExerciseProgress"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "kindred_answer_progress"();
CREATE TRIGGER "ExerciseProgress_progress_update" AFTER UPDATE ON "ExerciseProgress"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kindred_answer_progress"();
CREATE TRIGGER "ExerciseProgress_progress_delete" AFTER DELETE ON "ExerciseProgress"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "kindred_answer_progress"();

-- Answers given: their instants join the latest actions; one removed or changed (an account
-- deleted, a test moving one in time) has its member's counted again.
CREATE FUNCTION "kindred_pass_progress"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- An update that moves no pass (sealing its text, say) changes no count.
  -- (Nested: an INSERT has no old_rows to plan the query against.)
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
         SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE (o."userId", o."programId", o."createdAt")
                IS DISTINCT FROM (n."userId", n."programId", n."createdAt")) THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO "ProgramProgress" ("userId", "programId", "latestActions")
    SELECT "userId", "programId",
           CASE WHEN TG_OP = 'INSERT' THEN kindred_latest_actions(array_agg("createdAt")) END
      FROM new_rows GROUP BY "userId", "programId"
    ON CONFLICT ("userId", "programId") DO UPDATE SET
      "latestActions" = kindred_latest_actions("ProgramProgress"."latestActions" || EXCLUDED."latestActions");
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM kindred_recount_progress(ARRAY(SELECT "userId" FROM old_rows
                                           UNION SELECT "userId" FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kindred_recount_progress(ARRAY(SELECT DISTINCT "userId" FROM old_rows));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "AnswerPass_progress_insert" AFTER INSERT ON "AnswerPass"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "kindred_pass_progress"();
CREATE TRIGGER "AnswerPass_progress_update" AFTER UPDATE ON "AnswerPass"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "kindred_pass_progress"();
CREATE TRIGGER "AnswerPass_progress_delete" AFTER DELETE ON "AnswerPass"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "kindred_pass_progress"();

-- What exists already.
INSERT INTO "ProgramProgress" ("userId", "programId", "stepsDone", "lastStepAt", "answers")
SELECT "userId", "programId", sum("stepsDone")::int, max("lastStepAt"), sum("answers")::int
  FROM (SELECT sc."userId", m."programId", count(*) AS "stepsDone",
               max(sc."completedAt") AS "lastStepAt", 0 AS "answers"
          FROM "StepCompletion" sc
          JOIN "Step" s ON s."id" = sc."stepId"
          JOIN "Module" m ON m."id" = s."moduleId"
         GROUP BY sc."userId", m."programId"
        UNION ALL
        SELECT "userId", "programId", 0, NULL, sum("passCount")
          FROM "ExerciseProgress" GROUP BY "userId", "programId"
        UNION ALL
        SELECT DISTINCT "userId", "programId", 0, NULL::timestamp(3), 0 FROM "AnswerPass") t
 GROUP BY "userId", "programId";
UPDATE "ProgramProgress" SET "latestActions" = kindred_recent_actions("userId", "programId");
