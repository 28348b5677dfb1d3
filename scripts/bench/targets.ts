import pg from "pg";
import type { Population } from "./population";
import { trpcQueryPath } from "./trpc-url";

export type Persona = "anonymous" | "member" | "coach";

/** A page or procedure the benchmarks drive, and who asks for it. */
export type Target = { id: string; label: string; path: string; as: Persona };

/**
 * The pages worth measuring, for the demo member Maya (the population's long history) and the
 * coach: the player step and the journal timeline of the prompt she has answered most often.
 */
export async function pageTargets(url: string, population: Population): Promise<Target[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let row: { exerciseId: string; stepId: string };
  try {
    const result = await client.query(
      `SELECT p."exerciseId", x."stepId"
       FROM "AnswerPass" p JOIN "Exercise" x ON x.id = p."exerciseId"
       JOIN "Step" s ON s.id = x."stepId" JOIN "Module" m ON m.id = s."moduleId"
       WHERE p."userId" = $1
       GROUP BY p."exerciseId", x."stepId", m.position, s.position, x.position
       ORDER BY count(*) DESC, m.position, s.position, x.position LIMIT 1`,
      [population.memberId],
    );
    row = result.rows[0];
  } finally {
    await client.end();
  }
  if (!row) throw new Error("the demo member has no answers: the population seed did not run");
  return [
    { id: "home", label: "/ (anonymous)", path: "/", as: "anonymous" },
    { id: "signin", label: "/signin", path: "/signin", as: "anonymous" },
    { id: "today", label: "/app (Today)", path: "/app", as: "member" },
    { id: "journal", label: "/app/journal", path: "/app/journal", as: "member" },
    { id: "catalog", label: "/app/programs (catalog)", path: "/app/programs", as: "member" },
    {
      id: "program",
      label: "program page",
      path: `/app/programs/${population.programSlug}`,
      as: "member",
    },
    { id: "search", label: "/search?q=friend", path: "/search?q=friend", as: "member" },
    { id: "settings", label: "/settings", path: "/settings", as: "member" },
    {
      id: "step",
      label: "player step",
      path: `/app/programs/${population.programSlug}/steps/${row.stepId}`,
      as: "member",
    },
    {
      id: "timeline",
      label: "journal prompt timeline",
      path: `/app/journal/${row.exerciseId}`,
      as: "member",
    },
    {
      id: "coach-progress",
      label: "coach progress",
      path: `/coach/progress/${population.programId}`,
      as: "coach",
    },
    {
      id: "cohort",
      label: "cohort space (500 members, 5,000 posts)",
      path: `/app/cohorts/${population.cohortSlug}`,
      as: "member",
    },
    {
      id: "coach-cohort",
      label: "coach cohort roster (500 members)",
      path: `/coach/cohorts/${population.cohortId}`,
      as: "coach",
    },
  ];
}

/** A route of `bench:http` (and `bench:ab`): the floor is the one every other is compared with. */
export type BenchRoute = Target & { floor?: boolean };

/**
 * The pages above, then the procedures driven over tRPC as the app's client asks for them, then
 * the floor (`me.get`). `only` (ids, comma-separated or repeated) keeps those and the floor.
 */
export async function benchRoutes(
  url: string,
  population: Population,
  only: string[] = [],
): Promise<BenchRoute[]> {
  const trpc = async (
    id: string,
    procedure: string,
    input: unknown,
    floor = false,
    as: Persona = "member",
  ): Promise<BenchRoute> => ({
    id,
    label: floor ? `${procedure} (floor)` : `${procedure} (tRPC GET)`,
    path: await trpcQueryPath(procedure, input),
    as,
    floor,
  });
  const all: BenchRoute[] = [
    ...(await pageTargets(url, population)),
    await trpc("dashboard.today", "dashboard.today", undefined),
    await trpc("journal.list", "journal.list", {}),
    await trpc("cohorts.feed", "cohorts.feed", { cohortId: population.cohortId }),
    await trpc(
      "cohorts.roster",
      "cohorts.roster",
      { cohortId: population.cohortId },
      false,
      "coach",
    ),
    await trpc("floor", "me.get", undefined, true),
  ];
  const wanted = only
    .flatMap((o) => o.split(","))
    .map((o) => o.trim())
    .filter(Boolean);
  if (wanted.length === 0) return all;
  const unknown = wanted.filter((o) => !all.some((r) => r.id === o));
  if (unknown.length) {
    throw new Error(
      `unknown route(s) ${unknown.join(", ")}; choose from ${all.map((r) => r.id).join(", ")}`,
    );
  }
  return all.filter((r) => r.floor || wanted.includes(r.id));
}
