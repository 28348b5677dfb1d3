import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookieName } from "@/server/auth/tokens";
import { createDb, type Db } from "@/server/db";
import { migrate } from "@/server/db/migrate";
import { env, resetEnvCache } from "@/server/env";
import { createWebServer, type WebServer } from "@/server/http/web-server";
import { handleTrpcRequest } from "@/server/trpc/http";
import { type Cluster, createCluster } from "../../scripts/fault/cluster";
import { seedProgram } from "../authz/player";
import { closeSharedDb } from "../helpers/app";
import { nodeListener } from "../helpers/http-server";

/**
 * Issue 13's core, in the suite: PostgreSQL restarts (fast, then immediate: a crash) while
 * members save drafts at the same time over HTTP, through Kindred's web server and tRPC. No
 * save the server acknowledged may be lost, no answer may be a 500, an answer while the
 * database is away is a 503 with Retry-After, and the server needs no restart to recover.
 *
 * The database is a cluster of the test's own (scripts/fault/cluster.ts): the machine's shared
 * server is never stopped.
 */
const MEMBERS = 6;

type Ack = { version: number; text: string };

let cluster: Cluster;
let db: Db;
let web: WebServer;
let url: string;
const members: { cookie: string; exerciseId: string; userId: string }[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  cluster = await createCluster({ label: "restart-test" });
  const admin = new (await import("pg")).default.Client(cluster.url());
  await admin.connect();
  await admin.query("CREATE DATABASE kindred");
  await admin.end();
  const databaseUrl = cluster.url("kindred");
  await migrate({ connectionString: databaseUrl });
  // The handlers read the process's settings and shared client (db(), env()).
  process.env.DATABASE_URL = databaseUrl;
  process.env.NEXTAUTH_SECRET = randomBytes(32).toString("hex");
  process.env.KINDRED_DEMO = "1";
  resetEnvCache();
  await closeSharedDb();

  db = createDb(databaseUrl, { max: 2 });
  const coach = await db.user.create({
    data: { email: "coach@restart.test", name: "Coach", role: "COACH" },
  });
  const fixture = await seedProgram(db, coach.id);
  for (let i = 0; i < MEMBERS; i++) {
    const user = await db.user.create({
      data: { email: `member-${i}@restart.test`, name: `Member ${i}`, role: "MEMBER" },
    });
    await db.enrolment.create({
      data: { userId: user.id, programId: fixture.program.id, currentStepId: fixture.steps.a },
    });
    const token = randomBytes(32).toString("hex");
    await db.session.create({
      data: { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 86_400_000) },
    });
    members.push({
      cookie: `${sessionCookieName(env().appUrl)}=${token}`,
      exerciseId: fixture.ex.REFLECTION,
      userId: user.id,
    });
  }

  web = createWebServer({
    handler: nodeListener((request) => handleTrpcRequest(request)),
    trustedProxies: 0,
  });
  const address: AddressInfo = await web.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${address.port}`;
}, 120_000);

afterAll(async () => {
  await web?.stop();
  await closeSharedDb();
  await db?.$disconnect();
  await cluster?.destroy();
  process.env = savedEnv;
  resetEnvCache();
});

type Outcome =
  | { kind: "ack"; version: number }
  | { kind: "unavailable"; retryAfter: string | null; code: string | undefined }
  | { kind: "other"; status: number; body: string };

async function save(
  member: (typeof members)[number],
  text: string,
  baseVersion: number,
  writer: { id: string; seq: number },
): Promise<Outcome> {
  const input = superjson.serialize({
    exerciseId: member.exerciseId,
    content: { text, probes: [""] },
    baseVersion,
    writer,
  });
  let response: Response;
  try {
    response = await fetch(`${url}/api/trpc/player.saveDraft`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: member.cookie },
      body: JSON.stringify(input),
    });
  } catch (error) {
    // Never expected (the web server stays up), but a client would treat it as "try again".
    return { kind: "other", status: 0, body: String(error) };
  }
  const body = await response.text();
  if (response.status === 200) {
    const parsed = JSON.parse(body) as { result: { data: { json: { version: number } } } };
    return { kind: "ack", version: parsed.result.data.json.version };
  }
  if (response.status === 503) {
    const parsed = JSON.parse(body) as { error: { json: { data: { code: string } } } };
    return {
      kind: "unavailable",
      retryAfter: response.headers.get("retry-after"),
      code: parsed.error.json.data.code,
    };
  }
  return { kind: "other", status: response.status, body };
}

/**
 * One member typing: each save carries the version last acknowledged, and a save answered 503
 * is sent again (as the player's autosave does) until it lands, with the text typed since. A
 * save whose commit landed but whose answer was lost (the database went away in between) leaves
 * the typist behind its own writes: the next save must be taken as this editor's, not refused
 * as another tab's (seen in CI before drafts carried their writer).
 */
async function typist(
  member: (typeof members)[number],
  until: () => boolean,
  record: { acks: Ack[]; unavailable: Outcome[]; other: Outcome[] },
) {
  let version = 0;
  let typed = "";
  let n = 0;
  // As the player page does: one editor id, and a count of its saves.
  const writerId = randomUUID();
  while (!until()) {
    n += 1;
    typed = `${typed} word${n}`.trim();
    const outcome = await save(member, typed, version, { id: writerId, seq: n });
    if (outcome.kind === "ack") {
      version = outcome.version;
      record.acks.push({ version, text: typed });
    } else if (outcome.kind === "unavailable") {
      record.unavailable.push(outcome);
      // The real client waits Retry-After (5 s); the test waits less, to see many retries.
      await new Promise((resolve) => setTimeout(resolve, 150));
    } else {
      record.other.push(outcome);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

describe("a PostgreSQL restart during concurrent draft saves", () => {
  it("loses no acknowledged save, answers 503 (never 500) meanwhile, and recovers by itself", async () => {
    const records = members.map(() => ({
      acks: [] as Ack[],
      unavailable: [] as Outcome[],
      other: [] as Outcome[],
    }));
    let stop = false;
    const load = members.map((m, i) => typist(m, () => stop, records[i]!));

    const acked = () => records.reduce((sum, r) => sum + r.acks.length, 0);
    const waitForAcks = async (more: number) => {
      const target = acked() + more;
      const deadline = Date.now() + 60_000;
      while (acked() < target && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return acked() >= target;
    };

    expect(await waitForAcks(30)).toBe(true);
    await cluster.stop("fast");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const duringFirst = records.reduce((sum, r) => sum + r.unavailable.length, 0);
    await cluster.start();
    // Recovered without a restart of the web server: saves are acknowledged again.
    expect(await waitForAcks(30)).toBe(true);

    await cluster.stop("immediate");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await cluster.start();
    expect(await waitForAcks(30)).toBe(true);
    stop = true;
    await Promise.all(load);

    const unavailable = records.flatMap((r) => r.unavailable);
    const other = records.flatMap((r) => r.other);
    // The outage was seen, and said as 503 with Retry-After and SERVICE_UNAVAILABLE.
    expect(duringFirst).toBeGreaterThan(0);
    for (const outcome of unavailable) {
      expect(outcome).toMatchObject({ retryAfter: "5", code: "SERVICE_UNAVAILABLE" });
    }
    // Nothing else: no 500, no conflict from a save whose first try had landed.
    expect(other).toEqual([]);

    // Every member's last acknowledged save is what the database holds.
    for (const [i, member] of members.entries()) {
      const last = records[i]!.acks.at(-1)!;
      const row = await db.answerDraft.findUnique({
        where: { userId_exerciseId: { userId: member.userId, exerciseId: member.exerciseId } },
        select: { version: true, content: true },
      });
      expect(row?.version).toBe(last.version);
      expect((row?.content as { text?: string } | undefined)?.text).toBe(last.text);
    }
  });
});
