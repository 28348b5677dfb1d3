import pg from "pg";
import { createDb } from "@/server/db";
import { DEMO_ACCOUNTS } from "@/server/demo";
import { DEMO_PROGRAM } from "../../prisma/demo-program";
import { seedDemo } from "../../prisma/seed";

/**
 * The population every benchmark measures against (bench:http, bench:web and the in-process
 * bench share it, so their numbers describe the same data):
 *
 * - the demo accounts and program (prisma/seed.ts), so the pages look as users see them;
 * - `members` members (default 2,000), each enrolled in the demo program since a join date
 *   between two weeks and three years ago, with `answers` answer passes (default 50) spread over
 *   that time across the program's prompts, their step completions and enrolment state, about a
 *   dozen people on their map with reach-outs, a commitment per commitment answer with check-ins,
 *   practice ticks, and (every fourth member) answers shared with the coach, one share revoked;
 * - the demo member Maya gets the same volume of history before her demo journey (three years of
 *   it), because the benchmark signs in as her: measuring the lightest account would hide what
 *   a long history costs. Her demo state (at the practice step, passes of the last five weeks)
 *   stays as the demo shows it.
 *
 * Everything is written with set-based SQL (generate_series), so 2,000 × 50 takes seconds. It
 * bypasses the services: a table the application keeps on write (an aggregate, a counter) must be
 * filled here too, or the benchmark measures an empty aggregate.
 */
export type PopulationOptions = {
  members?: number;
  answers?: number;
  peoplePerMember?: number;
  reachOutsPerPerson?: number;
  ticksPerMember?: number;
  now?: Date;
};

export type PopulationCounts = Record<
  | "users"
  | "enrolments"
  | "passes"
  | "stepCompletions"
  | "drafts"
  | "people"
  | "reachOuts"
  | "commitments"
  | "checkIns"
  | "practiceTicks"
  | "shares",
  number
>;

export type Population = {
  counts: PopulationCounts;
  programId: string;
  programSlug: string;
  memberId: string;
  coachId: string;
  /** The big cohort (up to 500 members with Maya, 5,000 posts). */
  cohortId: string;
  cohortSlug: string;
  /** Members of the generated population (not Maya): `bench-1` … `bench-N`. */
  memberIds: (i: number) => string;
};

const ZONES = [
  "Europe/Berlin",
  "Europe/London",
  "America/New_York",
  "America/Los_Angeles",
  "Asia/Kolkata",
  "Australia/Sydney",
  "America/Sao_Paulo",
];

const SENTENCES = [
  "I keep thinking about the people who noticed when I went quiet last winter.",
  "My sister and I talk every Sunday now, and it has changed how the week feels.",
  "There are friends from university I only see at weddings, and I miss them more than I admit.",
  "At work I am friendly with everyone and close to nobody, which is lonelier than it sounds.",
  "The neighbours on the second floor invited me for dinner and I said yes for once.",
  "Asking for help still feels like a debt I have to repay at once.",
  "Running club gives my Saturdays a shape, and the coffee afterwards matters most.",
  "I want fewer group chats and more long walks with one person at a time.",
  "When I moved cities I told myself I would make friends later; later never came by itself.",
  "Calling my father without a reason felt strange the first time and easy the third.",
];

const NAMES = [
  "Ana",
  "Tom",
  "Lena",
  "Sami",
  "Jo",
  "Ravi",
  "Mei",
  "Oskar",
  "Ines",
  "Kofi",
  "Noor",
  "Paul",
];

const memberId = (i: number) => `bench-${i}`;
/** The time zone the seed gives generated member `i` (the SQL below picks the same). */
export const memberZone = (i: number) => ZONES[i % ZONES.length]!;

export async function seedPopulation(
  url: string,
  options: PopulationOptions = {},
): Promise<Population> {
  const members = options.members ?? 2000;
  const answers = options.answers ?? 50;
  const peoplePer = options.peoplePerMember ?? 12;
  const reachOutsPer = options.reachOutsPerPerson ?? 3;
  const ticksPer = options.ticksPerMember ?? 60;
  // Midnight UTC of today: every run on the same day seeds identical data, and runs on other
  // days the same history relative to their date (never anything in the future).
  const now = options.now ?? new Date(new Date().setUTCHours(0, 0, 0, 0));

  const db = createDb(url, { max: 2 });
  try {
    await seedDemo(db, now);
  } finally {
    await db.$disconnect();
  }

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    const ids = await generate(client, {
      members,
      answers,
      peoplePer,
      reachOutsPer,
      ticksPer,
      now,
    });
    // Aggregates the app keeps on write are derived from the history written above.
    await client.query("SELECT kindred_rebuild_aggregates()");
    await client.query("COMMIT");
    // Fresh statistics, as a database that grew to this size would have.
    await client.query("ANALYZE");
    return { ...ids, counts: await count(client), memberIds: memberId };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

async function generate(
  client: pg.Client,
  o: {
    members: number;
    answers: number;
    peoplePer: number;
    reachOutsPer: number;
    ticksPer: number;
    now: Date;
  },
) {
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  const email = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!.email;
  const {
    rows: [program],
  } = await q(`SELECT id, title FROM "Program" WHERE slug = $1`, [DEMO_PROGRAM.slug]);
  const {
    rows: [maya],
  } = await q(`SELECT id FROM "User" WHERE email = $1`, [email("MEMBER")]);
  const {
    rows: [coach],
  } = await q(`SELECT id FROM "User" WHERE email = $1`, [email("COACH")]);

  // The program's live exercises in reading order, numbered 1..k.
  await q(
    `CREATE TEMP TABLE bench_exercise ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY m.position, s.position, x.position)::int AS e,
           x.id, x.kind, x.prompt, x.config, x.revision, s.id AS step_id, s.title AS step_title
    FROM "Exercise" x JOIN "Step" s ON s.id = x."stepId" JOIN "Module" m ON m.id = s."moduleId"
    WHERE m."programId" = $1 AND x."deletedAt" IS NULL`,
    [program.id],
  );
  const {
    rows: [{ k, practice }],
  } = await q(`SELECT count(*)::int AS k,
      (SELECT e FROM bench_exercise WHERE kind = 'PRACTICE' ORDER BY e LIMIT 1) AS practice
    FROM bench_exercise`);

  // Who gets a history: the generated members, and Maya (three years, ending where her demo
  // journey starts, on every prompt before the practice step she is at).
  await q(`CREATE TEMP TABLE bench_member (
      uid text PRIMARY KEY, ord int NOT NULL, joined timestamptz NOT NULL,
      until timestamptz NOT NULL, k int NOT NULL, tz text NOT NULL) ON COMMIT DROP`);
  await q(
    `INSERT INTO bench_member
     SELECT 'bench-' || g, g,
            $2::timestamptz - make_interval(days => 14 + (g * 397) % 1081),
            $2::timestamptz - make_interval(days => g % 3, hours => g % 11),
            $3::int, ($4::text[])[1 + g % cardinality($4::text[])]
     FROM generate_series(1, $1::int) g`,
    [o.members, o.now, k, ZONES],
  );
  await q(
    `INSERT INTO bench_member VALUES ($1, 0, $2::timestamptz - interval '1095 days',
       $2::timestamptz - interval '40 days', $3, 'Europe/London')`,
    [maya.id, o.now, practice ? Math.max(1, practice - 1) : k],
  );

  await q(
    `INSERT INTO "User"(id, email, name, role, "timeZone", "emailVerified", "createdAt", "updatedAt")
     SELECT uid, uid || '@bench.kindred.local', 'Member ' || ord, 'MEMBER', tz, joined, joined, joined
     FROM bench_member WHERE ord > 0`,
  );
  await q(`UPDATE "User" u SET "createdAt" = m.joined FROM bench_member m WHERE u.id = m.uid`);
  await q(
    `INSERT INTO "Enrolment"(id, "userId", "programId", "createdAt")
     SELECT 'bench-enrol-' || ord, uid, $1, joined FROM bench_member
     ON CONFLICT ("userId", "programId") DO UPDATE SET "createdAt" = EXCLUDED."createdAt"`,
    [program.id],
  );

  // Answer i (1..answers) of a member goes to exercise ((i-1) mod k) + 1, so each prompt is
  // answered again and again over the years, pass numbers rising with time. Passes that exist
  // already (Maya's demo journey) move after the generated ones.
  await q(
    `UPDATE "AnswerPass" p SET "passNumber" = p."passNumber" + ($1::int - x.e) / m.k + 1
     FROM bench_member m, bench_exercise x
     WHERE p."userId" = m.uid AND p."exerciseId" = x.id AND x.e <= m.k AND x.e <= $1::int`,
    [o.answers],
  );
  await q(
    `INSERT INTO "AnswerPass"(id, "userId", "exerciseId", "programId", "passNumber", kind, content,
                              "promptSnapshot", "scaleValue", "createdAt")
     SELECT 'bench-pass-' || m.ord || '-' || i, m.uid, x.id, $1, (i - 1) / m.k + 1, x.kind,
       CASE x.kind
         WHEN 'REFLECTION' THEN jsonb_build_object(
           'text', ($4::text[])[1 + (m.ord + i) % 10] || ' ' || ($4::text[])[1 + (m.ord * 3 + i) % 10]
                   || ' ' || ($4::text[])[1 + (m.ord * 7 + i * 3) % 10] || ' '
                   || repeat(($4::text[])[1 + i % 10] || ' ', 1 + (m.ord + i) % 4),
           'probes', jsonb_build_array(($4::text[])[1 + (m.ord + 2 * i) % 10],
                                       ($4::text[])[1 + (m.ord + 5 * i) % 10]))
         WHEN 'LENSES' THEN jsonb_build_object('answers', (
           SELECT jsonb_object_agg(l, ($4::text[])[1 + (m.ord + i + length(l)) % 10])
           FROM jsonb_array_elements_text(x.config -> 'lenses') l))
         WHEN 'SCALE' THEN jsonb_build_object(
           'value', least(10, 1 + (m.ord % 4) + (i - 1) / (2 * m.k)),
           'followUp', 'Ask for one small thing each week.',
           'why', ($4::text[])[1 + (m.ord + i) % 10])
         WHEN 'PEOPLE' THEN jsonb_build_object('people', (
           SELECT jsonb_agg(jsonb_build_object(
             'name', ($5::text[])[1 + (m.ord + j) % 12],
             'circle', x.config -> 'circles' ->> ((m.ord + j) % jsonb_array_length(x.config -> 'circles')),
             'status', (ARRAY['KEEP', 'RECONNECT', 'MOVE_ON'])[1 + (m.ord + j) % 3],
             'why', ($4::text[])[1 + (m.ord + j) % 10]))
           FROM generate_series(1, 3 + (m.ord + i) % 3) j))
         WHEN 'COMMITMENT' THEN jsonb_build_object(
           'text', 'Call ' || ($5::text[])[1 + (m.ord + i) % 12] || ' and suggest a walk this week.',
           'dueOn', to_char((m.joined + (m.until - m.joined) * ((i - 1)::float8 / $3::int)) + interval '7 days', 'YYYY-MM-DD'))
         WHEN 'PRACTICE' THEN jsonb_build_object(
           'ticked', COALESCE((SELECT jsonb_agg(p ->> 'key') FROM jsonb_array_elements(x.config -> 'practices')
                                 WITH ORDINALITY AS t(p, n) WHERE (n + m.ord + i) % 2 = 0), '[]'::jsonb),
           'note', 'Small steps, most days.')
       END,
       jsonb_build_object('prompt', x.prompt, 'config', x.config, 'revision', x.revision,
                          'stepTitle', x.step_title, 'programTitle', $2::text),
       CASE WHEN x.kind = 'SCALE' THEN least(10, 1 + (m.ord % 4) + (i - 1) / (2 * m.k)) END,
       m.joined + (m.until - m.joined) * ((i - 1)::float8 / $3::int)
     FROM bench_member m CROSS JOIN generate_series(1, $3::int) i
     JOIN bench_exercise x ON x.e = (i - 1) % m.k + 1`,
    [program.id, program.title, o.answers, SENTENCES, NAMES],
  );

  // A step is complete when each of its exercises has a pass; then the enrolment points at the
  // first incomplete step, or is complete.
  await q(
    `INSERT INTO "StepCompletion"(id, "userId", "stepId", "completedAt")
     SELECT 'bench-done-' || m.ord || '-' || x.step_id, m.uid, x.step_id, max(f.first)
     FROM bench_member m
     JOIN bench_exercise x ON true
     JOIN LATERAL (SELECT min(p."createdAt") AS first FROM "AnswerPass" p
                   WHERE p."userId" = m.uid AND p."exerciseId" = x.id) f ON true
     GROUP BY m.ord, m.uid, x.step_id
     HAVING bool_and(f.first IS NOT NULL)
     ON CONFLICT ("userId", "stepId") DO NOTHING`,
  );
  await q(
    `UPDATE "Enrolment" n SET
       "currentStepId" = (SELECT x.step_id FROM bench_exercise x
                          WHERE NOT EXISTS (SELECT 1 FROM "StepCompletion" c
                                            WHERE c."userId" = n."userId" AND c."stepId" = x.step_id)
                          ORDER BY x.e LIMIT 1),
       "completedAt" = CASE WHEN NOT EXISTS (
           SELECT 1 FROM bench_exercise x WHERE NOT EXISTS (
             SELECT 1 FROM "StepCompletion" c WHERE c."userId" = n."userId" AND c."stepId" = x.step_id))
         THEN (SELECT max(c."completedAt") FROM "StepCompletion" c WHERE c."userId" = n."userId") END
     FROM bench_member m WHERE n."userId" = m.uid AND n."programId" = $1`,
    [program.id],
  );

  // A half-typed answer for every fifth member, and for Maya on the first prompt.
  await q(
    `INSERT INTO "AnswerDraft"(id, "userId", "exerciseId", content, version, "updatedAt")
     SELECT 'bench-draft-' || m.ord, m.uid, x.id,
            jsonb_build_object('text', ($1::text[])[1 + m.ord % 10], 'probes', '[]'::jsonb), 3, m.until
     FROM bench_member m JOIN bench_exercise x ON x.e = 1
     WHERE m.ord % 5 = 0
     ON CONFLICT ("userId", "exerciseId") DO NOTHING`,
    [SENTENCES],
  );

  // People on the map, from the member's first people answer; reconnects carry a planned
  // reach-out from a week overdue to two weeks ahead, so Today has some to show.
  await q(
    `INSERT INTO "Person"(id, "userId", name, circle, status, why, "lastContactAt",
                          "plannedReachOutAt", "sourcePassId", "createdAt", "updatedAt")
     SELECT 'bench-person-' || m.ord || '-' || j, m.uid,
            ($1::text[])[1 + (m.ord + j) % 12] || ' ' || chr(65 + j % 26) || '.',
            (ARRAY['Family', 'Friends', 'Work', 'Neighbourhood', 'Other'])[1 + j % 5],
            s.status::"PersonStatus", ($2::text[])[1 + (m.ord * j) % 10],
            m.until - make_interval(days => (m.ord * j) % 300),
            CASE WHEN s.status = 'RECONNECT' THEN $4::timestamptz + make_interval(days => (m.ord + j) % 21 - 7) END,
            src.id, m.joined, m.until
     FROM bench_member m CROSS JOIN generate_series(1, $3::int) j
     CROSS JOIN LATERAL (SELECT (ARRAY['KEEP', 'RECONNECT', 'MOVE_ON'])[1 + (m.ord + j) % 3] AS status) s
     LEFT JOIN LATERAL (SELECT p.id FROM "AnswerPass" p JOIN bench_exercise x ON x.id = p."exerciseId"
                        WHERE p."userId" = m.uid AND x.kind = 'PEOPLE' ORDER BY p."passNumber" LIMIT 1) src ON true`,
    [NAMES, SENTENCES, o.peoplePer, o.now],
  );
  await q(
    `INSERT INTO "ReachOut"(id, "personId", "userId", note, at)
     SELECT 'bench-reach-' || m.ord || '-' || j || '-' || r, 'bench-person-' || m.ord || '-' || j, m.uid,
            'Sent a message about ' || ($1::text[])[1 + (j + r) % 12] || '.',
            m.joined + (m.until - m.joined) * (((j - 1) * $3::int + r)::float8 / ($2::int * $3::int + 1))
     FROM bench_member m CROSS JOIN generate_series(1, $2::int) j CROSS JOIN generate_series(1, $3::int) r`,
    [NAMES, o.peoplePer, o.reachOutsPer],
  );

  // A commitment per commitment answer (not Maya's demo one, which exists): the ones due in the
  // past were kept, missed or changed; the latest may still be open.
  await q(
    `INSERT INTO "Commitment"(id, "userId", text, "dueOn", status, "sourcePassId", "createdAt", "updatedAt")
     SELECT 'bench-commit-' || p.id, p."userId", p.content ->> 'text', (p.content ->> 'dueOn')::date,
            (CASE WHEN (p.content ->> 'dueOn')::date >= $1::date THEN 'OPEN'
                  ELSE (ARRAY['DONE', 'DONE', 'DONE', 'NOT_YET', 'CHANGED', 'OPEN'])[1 + p."passNumber" % 6]
             END)::"CommitmentStatus",
            p.id, p."createdAt", p."createdAt"
     FROM "AnswerPass" p JOIN bench_member m ON m.uid = p."userId"
     WHERE p.kind = 'COMMITMENT' AND p.id LIKE 'bench-pass-%'`,
    [o.now],
  );
  await q(
    `INSERT INTO "CommitmentCheckIn"(id, "commitmentId", outcome, note, "createdAt")
     SELECT c.id || '-' || n, c.id, CASE WHEN n = 1 AND c."passNumber" % 3 = 0 THEN 'NOT_YET' ELSE c.status END,
            'Checked in.', c."createdAt" + make_interval(days => 3 * n)
     FROM (SELECT c.id, c.status, c."createdAt", p."passNumber"
           FROM "Commitment" c JOIN "AnswerPass" p ON p.id = c."sourcePassId"
           WHERE c.id LIKE 'bench-commit-%' AND c.status <> 'OPEN') c
     CROSS JOIN generate_series(1, 2) n
     WHERE n = 2 OR c."passNumber" % 3 = 0`,
  );

  // Practice ticks from the join date on (Maya's too: she ticks before answering the step).
  if (practice) {
    await q(
      `INSERT INTO "PracticeTick"(id, "userId", "exerciseId", "practiceKey", note, "createdAt")
       SELECT 'bench-tick-' || m.ord || '-' || t, m.uid, x.id,
              x.config -> 'practices' -> (t % jsonb_array_length(x.config -> 'practices')) ->> 'key', '',
              m.joined + (m.until - m.joined) * (t::float8 / $1::int)
       FROM bench_member m CROSS JOIN generate_series(1, $1::int) t
       JOIN bench_exercise x ON x.e = $2::int`,
      [o.ticksPer, practice],
    );
  }

  // Every fourth member shares their first three answers with the coach, then revokes one
  // (a revoked share keeps no words, as the app leaves it).
  await q(
    `INSERT INTO "Share"(id, "passId", "userId", "programId", audience, snapshot, "createdAt", "revokedAt")
     SELECT 'bench-share-' || p.id, p.id, p."userId", p."programId", 'COACH',
            CASE WHEN p."passNumber" = 1 AND x.e = 2 THEN '{}'::jsonb ELSE jsonb_build_object(
              'kind', p.kind, 'passNumber', p."passNumber",
              'answeredAt', to_char(p."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'prompt', jsonb_build_object('prompt', x.prompt, 'stepTitle', x.step_title,
                                           'programTitle', $1::text, 'config', x.config),
              'content', p.content) END,
            p."createdAt" + interval '1 day',
            CASE WHEN p."passNumber" = 1 AND x.e = 2 THEN p."createdAt" + interval '2 days' END
     FROM "AnswerPass" p JOIN bench_member m ON m.uid = p."userId" AND m.ord % 4 = 0 AND m.ord > 0
     JOIN bench_exercise x ON x.id = p."exerciseId"
     WHERE p."passNumber" = 1 AND x.e <= 3`,
    [program.title],
  );

  await seedBenchCohort(q, {
    programId: program.id as string,
    coachId: coach.id as string,
    mayaId: maya.id as string,
    now: o.now,
  });

  return {
    programId: program.id as string,
    programSlug: DEMO_PROGRAM.slug,
    memberId: maya.id as string,
    coachId: coach.id as string,
    cohortId: BENCH_COHORT.id,
    cohortSlug: BENCH_COHORT.slug,
  };
}

export const BENCH_COHORT = { id: "bench-cohort", slug: "bench-cohort", members: 500, posts: 5000 };

/**
 * A big cohort for the space's and the roster's benchmarks: up to 500 generated members and
 * Maya (who moves to it from the demo cohort), 5,000 posts with two comments and three
 * reactions each, started 30 days ago.
 */
async function seedBenchCohort(
  q: (text: string, values?: unknown[]) => Promise<unknown>,
  o: { programId: string; coachId: string; mayaId: string; now: Date },
) {
  await q(
    `INSERT INTO "Cohort"(id, "programId", name, slug, "startDate", "timeZone", capacity,
                          "createdById", "updatedAt")
     VALUES ($1, $2, 'Bench cohort', $3, ($4::timestamptz - interval '30 days')::date,
             'Europe/London', 1000, $5, $4)`,
    [BENCH_COHORT.id, o.programId, BENCH_COHORT.slug, o.now, o.coachId],
  );
  await q(`INSERT INTO "CohortFacilitator"("cohortId", "userId") VALUES ($1, $2)`, [
    BENCH_COHORT.id,
    o.coachId,
  ]);
  await q(
    `INSERT INTO "CohortMember"(id, "cohortId", "userId", status, "queuePosition", "joinedAt",
                                "createdAt", "updatedAt")
     SELECT 'bench-cm-' || m.ord, $1, m.uid, 'ACTIVE', m.ord + 1,
            $2::timestamptz - interval '30 days', $2::timestamptz - interval '30 days', $2
     FROM bench_member m WHERE m.ord <= $3`,
    [BENCH_COHORT.id, o.now, BENCH_COHORT.members],
  );
  await q(`UPDATE "CohortMember" SET status = 'LEFT' WHERE "userId" = $1 AND "cohortId" <> $2`, [
    o.mayaId,
    BENCH_COHORT.id,
  ]);
  await q(
    `UPDATE "Enrolment" e SET "cohortId" = $1
     FROM "CohortMember" c WHERE c."cohortId" = $1 AND c."userId" = e."userId" AND e."programId" = $2`,
    [BENCH_COHORT.id, o.programId],
  );
  await q(
    `CREATE TEMP TABLE bench_author ON COMMIT DROP AS
     SELECT row_number() OVER (ORDER BY "queuePosition") - 1 AS i, "userId" AS uid
     FROM "CohortMember" WHERE "cohortId" = $1`,
    [BENCH_COHORT.id],
  );
  await q(
    `INSERT INTO "CohortPost"(id, "cohortId", "authorId", body, "commentCount", "createdAt", "updatedAt")
     SELECT 'bench-post-' || g, $1, a.uid, ($2::text[])[1 + g % cardinality($2::text[])], 2,
            $3::timestamptz - make_interval(mins => g * 8), $3
     FROM generate_series(1, $4::int) g
     JOIN bench_author a ON a.i = g % (SELECT count(*) FROM bench_author)`,
    [BENCH_COHORT.id, SENTENCES, o.now, BENCH_COHORT.posts],
  );
  await q(
    `INSERT INTO "CohortComment"(id, "postId", "authorId", body, "createdAt")
     SELECT 'bench-comment-' || g || '-' || c, 'bench-post-' || g, a.uid,
            ($1::text[])[1 + (g + c) % cardinality($1::text[])],
            $2::timestamptz - make_interval(mins => g * 8 - c)
     FROM generate_series(1, $3::int) g CROSS JOIN generate_series(1, 2) c
     JOIN bench_author a ON a.i = (g + c) % (SELECT count(*) FROM bench_author)`,
    [SENTENCES, o.now, BENCH_COHORT.posts],
  );
  await q(
    `INSERT INTO "CohortReaction"("postId", "userId", kind, "createdAt")
     SELECT 'bench-post-' || g, a.uid, (ARRAY['HEART','THANKS','SAME'])[r]::"ReactionKind", $1
     FROM generate_series(1, $2::int) g CROSS JOIN generate_series(1, 3) r
     JOIN bench_author a ON a.i = (g * 7 + r) % (SELECT count(*) FROM bench_author)
     ON CONFLICT DO NOTHING`,
    [o.now, BENCH_COHORT.posts],
  );
}

async function count(client: pg.Client): Promise<PopulationCounts> {
  const tables = {
    users: "User",
    enrolments: "Enrolment",
    passes: "AnswerPass",
    stepCompletions: "StepCompletion",
    drafts: "AnswerDraft",
    people: "Person",
    reachOuts: "ReachOut",
    commitments: "Commitment",
    checkIns: "CommitmentCheckIn",
    practiceTicks: "PracticeTick",
    shares: "Share",
  } as const;
  const sql = Object.entries(tables)
    .map(([key, table]) => `(SELECT count(*)::int FROM "${table}") AS "${key}"`)
    .join(", ");
  const { rows } = await client.query(`SELECT ${sql}`);
  return rows[0] as PopulationCounts;
}
