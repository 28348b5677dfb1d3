import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVENTORY } from "@/server/privacy/inventory";
import { pruneExpired, RETENTION_RULES, retentionJob } from "@/server/privacy/retention";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * Issue 12's retention: what the privacy page says is kept only for a while is removed by the
 * hourly job once its time is past, and nothing younger goes with it.
 */
let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});

afterAll(async () => {
  await app.close();
});

const NOW = new Date("2026-12-02T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Each rule's table with one row just past its time and one just inside it. */
async function seed() {
  const member = await app.createUser("MEMBER");
  const tag = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await app.db.verificationToken.createMany({
    data: [
      { identifier: `old-${tag}@x.test`, token: `old-${tag}`, expires: ago(MINUTE) },
      {
        identifier: `new-${tag}@x.test`,
        token: `new-${tag}`,
        expires: new Date(NOW.getTime() + 29 * MINUTE),
      },
    ],
  });
  await app.db.session.createMany({
    data: [
      { sessionToken: `old-${tag}`, userId: member.id, expires: ago(MINUTE) },
      { sessionToken: `new-${tag}`, userId: member.id, expires: new Date(NOW.getTime() + DAY) },
    ],
  });
  await app.db.emailChange.create({
    data: {
      userId: member.id,
      newEmail: `next-${tag}@x.test`,
      tokenHash: `h-${tag}`,
      expires: ago(MINUTE),
    },
  });
  // One deletion request per member: the expired one is the member's, the live one another's.
  const stillDeciding = await app.createUser("MEMBER");
  await app.db.accountDeletion.createMany({
    data: [
      { userId: member.id, tokenHash: `del-old-${tag}`, expires: ago(MINUTE) },
      {
        userId: stillDeciding.id,
        tokenHash: `del-new-${tag}`,
        expires: new Date(NOW.getTime() + 59 * MINUTE),
      },
    ],
  });
  await app.db.rateLimitHit.createMany({
    data: [
      { bucket: `b-${tag}`, key: "old", createdAt: ago(HOUR + MINUTE) },
      { bucket: `b-${tag}`, key: "new", createdAt: ago(HOUR - MINUTE) },
    ],
  });
  const email = (key: string, status: "SENT" | "FAILED" | "QUEUED", createdAt: Date) => ({
    dedupeKey: `${key}-${tag}`,
    category: "test",
    toAddress: member.email,
    subject: "A subject",
    html: "<p>x</p>",
    text: "x",
    status,
    createdAt,
  });
  await app.db.email.createMany({
    data: [
      email("sent-old", "SENT", ago(91 * DAY)),
      email("failed-old", "FAILED", ago(91 * DAY)),
      // Never sent yet: kept whatever its age, so nothing queued is lost.
      email("queued-old", "QUEUED", ago(91 * DAY)),
      email("sent-new", "SENT", ago(89 * DAY)),
    ],
  });
  await app.db.emailEvent.createMany({
    data: [
      { id: `old-${tag}`, type: "email.delivered", receivedAt: ago(31 * DAY) },
      { id: `new-${tag}`, type: "email.delivered", receivedAt: ago(29 * DAY) },
    ],
  });
  await app.db.nudgeDay.createMany({
    data: [
      { userId: member.id, day: ago(31 * DAY), category: "reminder", dedupeKey: `o-${tag}` },
      { userId: member.id, day: ago(29 * DAY), category: "reminder", dedupeKey: `n-${tag}` },
    ],
  });
  const event = (id: string, receivedAt: Date) => ({
    id: `${id}-${tag}`,
    type: "invoice.paid",
    createdAt: receivedAt,
    receivedAt,
    status: "PROCESSED" as const,
    payload: { customer_email: member.email },
  });
  await app.db.stripeEvent.createMany({
    data: [event("evt-old", ago(91 * DAY)), event("evt-new", ago(89 * DAY))],
  });
  const mail = (key: string, createdAt: Date) => ({
    idempotencyKey: `${key}-${tag}`,
    fromAddress: "kindred@x.test",
    toAddresses: [member.email],
    subject: "Sign in",
    createdAt,
  });
  await app.db.outboxMessage.createMany({
    data: [mail("mail-old", ago(8 * DAY)), mail("mail-new", ago(6 * DAY))],
  });
  // An export lasts 7 days after it is ready: one of 8 days ago went, one of 6 days ago stays.
  const zipReady = (days: number) =>
    app.db.accountExport.create({
      data: {
        userId: member.id,
        status: "READY",
        readyAt: ago(days * DAY),
        expiresAt: ago((days - 7) * DAY),
      },
    });
  await zipReady(8);
  const keptExport = await zipReady(6);
  return { member, tag, keptExport };
}

describe("retention", () => {
  it("removes each kind of row once it is past its stated time, and keeps the rest", async () => {
    const { member, tag, keptExport } = await seed();
    const removed = await pruneExpired(app.db, NOW);
    // At least this file's rows (other test files share nothing with this database).
    for (const rule of RETENTION_RULES) expect(removed[rule.id], rule.id).toBeGreaterThanOrEqual(1);

    expect(
      (await app.db.verificationToken.findMany({ where: { token: { endsWith: tag } } })).map(
        (r) => r.token,
      ),
    ).toEqual([`new-${tag}`]);
    expect(
      (await app.db.session.findMany({ where: { userId: member.id } })).map((r) => r.sessionToken),
    ).toEqual([`new-${tag}`]);
    expect(await app.db.emailChange.count({ where: { userId: member.id } })).toBe(0);
    expect(
      (await app.db.accountDeletion.findMany({ where: { tokenHash: { endsWith: tag } } })).map(
        (r) => r.tokenHash,
      ),
    ).toEqual([`del-new-${tag}`]);
    expect(
      (await app.db.rateLimitHit.findMany({ where: { bucket: `b-${tag}` } })).map((r) => r.key),
    ).toEqual(["new"]);
    expect(
      (
        await app.db.email.findMany({
          where: { toAddress: member.email },
          orderBy: { dedupeKey: "asc" },
        })
      ).map((r) => r.dedupeKey),
    ).toEqual([`queued-old-${tag}`, `sent-new-${tag}`]);
    expect(
      (await app.db.emailEvent.findMany({ where: { id: { endsWith: tag } } })).map((r) => r.id),
    ).toEqual([`new-${tag}`]);
    expect(
      (await app.db.nudgeDay.findMany({ where: { userId: member.id } })).map((r) => r.dedupeKey),
    ).toEqual([`n-${tag}`]);
    expect(
      (await app.db.stripeEvent.findMany({ where: { id: { endsWith: tag } } })).map((r) => r.id),
    ).toEqual([`evt-new-${tag}`]);
    expect(
      (await app.db.outboxMessage.findMany({ where: { idempotencyKey: { endsWith: tag } } })).map(
        (r) => r.idempotencyKey,
      ),
    ).toEqual([`mail-new-${tag}`]);
    expect(
      (await app.db.accountExport.findMany({ where: { userId: member.id } })).map((r) => r.id),
    ).toEqual([keptExport.id]);

    // A second run (an overlapping or retried job) finds nothing more of this file's rows.
    const again = await pruneExpired(app.db, NOW);
    expect(Object.values(again).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("runs as the hourly job the worker schedules", async () => {
    const { tag } = await seed();
    expect(retentionJob.cron?.expression).toBe("23 * * * *");
    await retentionJob.handler(
      {},
      { db: app.db, env: app.env, queue: app.queue, jobId: "j", retryCount: 0 },
    );
    // The job uses the real clock: the rows seeded as past their time relative to NOW are older
    // still relative to now.
    expect(await app.db.rateLimitHit.count({ where: { bucket: `b-${tag}`, key: "old" } })).toBe(0);
    expect(await app.db.email.count({ where: { dedupeKey: `sent-old-${tag}` } })).toBe(0);
  });

  it("states every rule on the privacy page's inventory, and names only rules that exist", () => {
    const used = new Set(
      Object.values(INVENTORY)
        .map((entry) => entry.kept)
        .flatMap((kept) => (typeof kept === "string" && kept !== "account" ? [kept] : [])),
    );
    expect([...used].sort()).toEqual(RETENTION_RULES.map((r) => r.id).sort());
  });
});
