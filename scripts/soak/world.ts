import { randomBytes } from "node:crypto";
import pg from "pg";
import { DEMO_ACCOUNTS } from "@/server/demo";
import { DEMO_PROGRAM } from "../../prisma/demo-program";

/** What the virtual users act on, read from the seeded database once before the load. */
export type Exercise = {
  id: string;
  kind: string;
  config: Record<string, unknown>;
  stepId: string;
};
export type Member = {
  id: string;
  email: string;
  session: string;
  /** Commitments not done yet: check-ins can go on as long as the outcome is "not yet". */
  commitments: string[];
};
export type World = {
  members: Member[];
  coach: { id: string; session: string };
  exercises: Exercise[];
  practice: { exerciseId: string; keys: string[] } | null;
  steps: { id: string; title: string }[];
};

export async function readWorld(url: string, memberCount: number): Promise<World> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const coachEmail = DEMO_ACCOUNTS.find((a) => a.role === "COACH")!.email;
    const {
      rows: [coach],
    } = await client.query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [coachEmail]);
    const { rows: members } = await client.query<{ id: string; email: string }>(
      `SELECT id, email FROM "User" WHERE id = ANY($1) ORDER BY id`,
      [Array.from({ length: memberCount }, (_, i) => `bench-${i + 1}`)],
    );
    const { rows: exercises } = await client.query<Exercise>(
      `SELECT x.id, x.kind, x.config, x."stepId"
         FROM "Exercise" x JOIN "Step" s ON s.id = x."stepId" JOIN "Module" m ON m.id = s."moduleId"
         JOIN "Program" p ON p.id = m."programId"
        WHERE p.slug = $1 AND x."deletedAt" IS NULL
        ORDER BY m.position, s.position, x.position`,
      [DEMO_PROGRAM.slug],
    );
    const { rows: steps } = await client.query<{ id: string; title: string }>(
      `SELECT s.id, s.title FROM "Step" s JOIN "Module" m ON m.id = s."moduleId"
         JOIN "Program" p ON p.id = m."programId" WHERE p.slug = $1
        ORDER BY m.position, s.position`,
      [DEMO_PROGRAM.slug],
    );
    const { rows: commitments } = await client.query<{ id: string; userId: string }>(
      `SELECT id, "userId" FROM "Commitment" WHERE "userId" = ANY($1) AND status <> 'DONE'`,
      [members.map((m) => m.id)],
    );
    // Signed in as next-auth's database strategy leaves a browser after the magic link.
    const sessions = new Map<string, string>();
    for (const user of [...members.map((m) => m.id), coach!.id]) {
      sessions.set(user, randomBytes(32).toString("hex"));
    }
    await client.query(
      `INSERT INTO "Session"(id, "sessionToken", "userId", expires)
       SELECT 'soak-session-' || u, t, u, now() + interval '1 day'
         FROM unnest($1::text[], $2::text[]) AS s(u, t)`,
      [[...sessions.keys()], [...sessions.values()]],
    );
    const practiceExercise = exercises.find((x) => x.kind === "PRACTICE");
    return {
      members: members.map((m) => ({
        id: m.id,
        email: m.email,
        session: sessions.get(m.id)!,
        commitments: commitments.filter((c) => c.userId === m.id).map((c) => c.id),
      })),
      coach: { id: coach!.id, session: sessions.get(coach!.id)! },
      exercises,
      practice: practiceExercise
        ? {
            exerciseId: practiceExercise.id,
            keys: ((practiceExercise.config.practices ?? []) as { key: string }[]).map(
              (p) => p.key,
            ),
          }
        : null,
      steps,
    };
  } finally {
    await client.end();
  }
}
