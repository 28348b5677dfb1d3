import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError, HTTP_STATUS } from "../errors";
import { requireManaged } from "./access";
import { csv } from "./csv";
import { rosterFacts } from "./reads";

const text = (status: number, message: string) =>
  new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

/**
 * The roster as CSV: one row per member (the waitlist after), steps done per module, last active
 * day, answers and steps in the last two weeks and in all, and the drifting flag. No answer text
 * exists in it to leak: it is built from the same counts as the roster page.
 */
export async function exportRoster(
  db: Db,
  user: SignedInUser | null,
  cohortId: string,
  now = new Date(),
): Promise<Response> {
  if (!user) return text(401, "Please sign in.");
  if (user.role !== "COACH" && user.role !== "ADMIN") return text(403, "This is for coaches.");
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cohortId)) return text(404, "We could not find that cohort.");
  let cohort: Awaited<ReturnType<typeof requireManaged>>;
  try {
    cohort = await requireManaged(db, user, cohortId);
  } catch (error) {
    if (error instanceof DomainError) return text(HTTP_STATUS[error.code], error.message);
    throw error;
  }
  const { modules, members } = await rosterFacts(db, cohort, now);
  const rows = [
    [
      "name",
      "email",
      "status",
      "since",
      "last active day",
      ...modules.map((m, i) => `module ${i + 1}: ${m.title} (of ${m.steps})`),
      "steps done",
      "drifting",
    ],
    ...members.map((m) => [
      m.name,
      m.email,
      m.status === "ACTIVE" ? "member" : `waitlist ${m.waitPosition}`,
      m.since.toISOString().slice(0, 10),
      m.lastActiveDay ?? "",
      ...m.modules.map((c) => c.done),
      m.stepsDone,
      m.drift?.drifting
        ? m.drift.reason === "quiet"
          ? `quiet ${m.drift.quietDays} days`
          : "slower"
        : "",
    ]),
  ];
  const name = cohort.slug.replace(/[^a-z0-9-]/g, "");
  return new Response(csv(rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}-progress.csv"`,
      "cache-control": "private, no-store",
    },
  });
}
