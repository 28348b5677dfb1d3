import pg from "pg";
import { createDb } from "@/server/db";
import { CHILD_MASTER_KEY } from "../../tests/instances/processes";
import type { Ledger } from "./load";

/** Found / missing per kind of acknowledged write, and the email check. */
export type Verdict = {
  writes: Record<string, { acked: number; found: number; superseded: number; missing: number }>;
  missingExamples: string[];
  emails: {
    requested: number;
    sentOnce: number;
    lost: number;
    duplicated: number;
    /** Outbox messages delivered more than once for one email, over the whole outbox. */
    duplicateMessages: number;
  };
  jobs: { failed: number; stillActive: number; retried: number };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every email the soak asked for has left the queue (sent, or failed for good),
 * within `timeoutMs`: a killed worker's batch is taken over once its lock lapses, by the sweep
 * that runs each minute.
 */
export async function waitForDrain(url: string, ledger: Ledger, timeoutMs: number) {
  const ids = ledger.signIns.map((s) => s.emailId);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Email" WHERE id = ANY($1) AND status IN ('QUEUED', 'SENDING')`,
        [ids],
      );
      const left = rows[0]?.n ?? 0;
      if (left === 0) return { drained: true, left };
      if (Date.now() > deadline) return { drained: false, left };
      await pause(1000);
    }
  } finally {
    await client.end();
  }
}

export async function verify(url: string, ledger: Ledger): Promise<Verdict> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Drafts are sealed at rest: read through the app's client, with the stack's master key.
  process.env.KINDRED_MASTER_KEY = CHILD_MASTER_KEY;
  const app = createDb(url, { max: 1 });
  const writes: Verdict["writes"] = {};
  const missingExamples: string[] = [];
  const tally = (kind: string, outcome: "found" | "superseded" | "missing", what: string) => {
    writes[kind] ??= { acked: 0, found: 0, superseded: 0, missing: 0 };
    writes[kind].acked += 1;
    writes[kind][outcome] += 1;
    if (outcome === "missing" && missingExamples.length < 20)
      missingExamples.push(`${kind}: ${what}`);
  };
  const ids = async (table: string, list: string[], column = "id") => {
    const { rows } = await client.query<{ id: string }>(
      `SELECT "${column}" AS id FROM "${table}" WHERE "${column}" = ANY($1)`,
      [list],
    );
    return new Set(rows.map((r) => r.id));
  };
  try {
    // Drafts: the latest acknowledged version of each (member, exercise) is there with its
    // text, or a later save of this client replaced it, or a pass (which deletes the draft)
    // was made after it.
    for (const record of ledger.drafts.values()) {
      const acked = record.acked;
      if (!acked) continue;
      const draft = await app.answerDraft.findUnique({
        where: { userId_exerciseId: { userId: record.member, exerciseId: record.exerciseId } },
        select: { version: true, content: true },
      });
      const row = draft && {
        version: draft.version,
        text: ((draft.content as { text?: string } | null)?.text ?? null) as string | null,
      };
      const what = `${record.member} / ${record.exerciseId} v${acked.version}`;
      if (row) {
        if (row.version === acked.version && row.text === acked.text) tally("draft", "found", what);
        else if (row.version > acked.version && record.later.includes(row.text ?? ""))
          tally("draft", "superseded", what);
        else tally("draft", "missing", `${what} (found v${row.version})`);
        continue;
      }
      const {
        rows: [pass],
      } = await client.query(
        `SELECT 1 FROM "AnswerPass" WHERE "userId" = $1 AND "exerciseId" = $2 AND "createdAt" >= $3`,
        [record.member, record.exerciseId, new Date(acked.sentAt - 2000)],
      );
      tally("draft", pass ? "superseded" : "missing", `${what} (no draft, no later pass)`);
    }

    const byId = async (kind: string, table: string, list: string[], column = "id") => {
      const present = await ids(table, list, column);
      for (const id of list) tally(kind, present.has(id) ? "found" : "missing", id);
    };
    await byId(
      "answer pass",
      "AnswerPass",
      ledger.passes.map((p) => p.passId),
    );
    await byId(
      "check-in",
      "CommitmentCheckIn",
      ledger.checkIns.map((c) => c.checkInId),
    );
    await byId(
      "practice tick",
      "PracticeTick",
      ledger.ticks.map((t) => t.tickId),
    );
    await byId(
      "upload",
      "Upload",
      ledger.uploads.map((u) => u.name),
      "name",
    );
    await byId(
      "sign-in email queued",
      "Email",
      ledger.signIns.map((s) => s.emailId),
    );

    // A coach's step edit: the last acknowledged body, or a later one this coach sent.
    for (const [stepId, record] of ledger.steps) {
      if (record.acked === undefined) continue;
      const {
        rows: [row],
      } = await client.query<{ body: string }>(`SELECT body FROM "Step" WHERE id = $1`, [stepId]);
      if (row?.body === record.acked) tally("step edit", "found", stepId);
      else if (row && record.later.includes(row.body)) tally("step edit", "superseded", stepId);
      else tally("step edit", "missing", stepId);
    }

    // Each sign-in email reached the outbox (the Resend emulator's store) exactly once: its
    // text carries the link's single-use token, so it matches one message only.
    const { rows: mail } = await client.query<{ id: string; status: string; messages: number }>(
      `SELECT e.id, e.status,
              (SELECT count(*)::int FROM "OutboxMessage" o
                WHERE o.text = e.text AND e."toAddress" = ANY(o."toAddresses")) AS messages
         FROM "Email" e WHERE e.id = ANY($1)`,
      [ledger.signIns.map((s) => s.emailId)],
    );
    const {
      rows: [dups],
    } = await client.query<{ n: number }>(
      `SELECT coalesce(sum(n - 1), 0)::int AS n FROM (
         SELECT count(*) AS n FROM "OutboxMessage" GROUP BY "toAddresses", subject, text HAVING count(*) > 1) d`,
    );
    const {
      rows: [jobs],
    } = await client.query<{ failed: number; active: number; retried: number }>(
      `SELECT count(*) FILTER (WHERE state = 'failed')::int AS failed,
              count(*) FILTER (WHERE state = 'active')::int AS active,
              count(*) FILTER (WHERE retry_count > 0)::int AS retried
         FROM pgboss.job WHERE name = 'email.send'`,
    );
    const sentOnce = mail.filter((m) => m.status === "SENT" && m.messages === 1).length;
    return {
      writes,
      missingExamples,
      emails: {
        requested: ledger.signIns.length,
        sentOnce,
        lost:
          ledger.signIns.length - mail.filter((m) => m.status === "SENT" && m.messages >= 1).length,
        duplicated: mail.filter((m) => m.messages > 1).length,
        duplicateMessages: dups?.n ?? 0,
      },
      jobs: {
        failed: jobs?.failed ?? 0,
        stillActive: jobs?.active ?? 0,
        retried: jobs?.retried ?? 0,
      },
    };
  } finally {
    await client.end();
    await app.$disconnect();
  }
}

export function totals(verdict: Verdict) {
  let acked = 0;
  let missing = 0;
  for (const w of Object.values(verdict.writes)) {
    acked += w.acked;
    missing += w.missing;
  }
  return { acked, found: acked - missing, missing };
}
