import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import {
  accountExportJob,
  accountExportResponse,
  exportFileName,
  MAX_ATTEMPTS,
  runExport,
} from "@/server/privacy/export";
import { EXPORT_TABLES, exportedTables } from "@/server/privacy/export-tables";
import { INVENTORY } from "@/server/privacy/inventory";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * Issue 12, "Export everything": the job builds a real ZIP from a member with rows in every
 * table that can hold theirs; unzipped, each such table is there with the member's rows and
 * not a byte of another member's (who has the same kinds of rows). Progress reaches 100, a retry
 * sends no second email, and the download answers 401/404/409/410/200 as it should.
 */
let app: TestApp;
let coach: Session["user"];

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
}, 60_000);

afterAll(async () => {
  await app?.close();
});

/** Rows in every table the export reads, each carrying the member's own tag. */
async function seedMember(tag: string) {
  const user = await app.createUser("MEMBER", {
    email: `${tag}@test.local`,
    name: `Name ${tag}`,
  });
  const db = app.db;
  const me = app.caller(user);
  const seeded = await seedProgram(db, coach.id);
  await me.player.enrol({ programId: seeded.program.id });
  const passes = [];
  for (const kind of Object.keys(ANSWERS) as (keyof typeof ANSWERS)[]) {
    const content =
      kind === "REFLECTION" ? { ...ANSWERS.REFLECTION, text: `Answer of ${tag}` } : ANSWERS[kind];
    passes.push(await me.player.submit({ exerciseId: seeded.ex[kind], content }));
  }
  await me.player.completeStep({ stepId: seeded.steps.b });
  await me.player.saveDraft({
    exerciseId: seeded.laterExerciseId,
    content: { text: `Draft of ${tag}` },
    baseVersion: 0,
  });
  const share = await me.coaching.share({ passId: passes[0]!.passId, audience: "COACH" });
  const person = await me.community.add({ name: `Friend of ${tag}`, circle: "Friends" });
  await me.community.logReachOut({ personId: person.id, note: `Coffee ${tag}` });
  const commitment = await db.commitment.findFirstOrThrow({ where: { userId: user.id } });
  await db.commitmentCheckIn.create({
    data: { commitmentId: commitment.id, outcome: "DONE", note: `Check-in ${tag}` },
  });
  await me.nudges.save({
    categories: { reflection: true },
    reminderTime: "08:30",
    reminderDays: [2, 4],
    timeZone: "UTC",
    quietStart: null,
    quietEnd: null,
    quietUntil: null,
  });

  // Account rows.
  await db.account.create({
    data: {
      userId: user.id,
      type: "email",
      provider: "email",
      providerAccountId: `acct-${tag}`,
      access_token: `secret-access-${tag}`,
    },
  });
  await db.session.create({
    data: {
      sessionToken: `secret-session-${tag}`,
      userId: user.id,
      expires: new Date(Date.now() + 86_400_000),
    },
  });
  await db.emailChange.create({
    data: {
      userId: user.id,
      newEmail: `new-${tag}@test.local`,
      tokenHash: `secret-hash-${tag}`,
      expires: new Date(Date.now() + 3_600_000),
    },
  });
  await db.verificationToken.create({
    data: { identifier: user.email, token: `secret-link-${tag}`, expires: new Date() },
  });
  // A pending request to delete the account (its token's hash never leaves).
  await db.accountDeletion.create({
    data: {
      userId: user.id,
      tokenHash: `secret-deletion-${tag}`,
      expires: new Date(Date.now() + 3_600_000),
    },
  });
  await db.rateLimitHit.create({ data: { bucket: "sign-in", key: user.email } });
  await db.auditLog.create({
    data: { actorId: coach.id, action: "comp.grant", targetType: "user", targetUserId: user.id },
  });

  // Cohorts.
  const cohort = await db.cohort.create({
    data: {
      programId: seeded.program.id,
      name: `Cohort ${tag}`,
      slug: `cohort-${tag}`,
      startDate: new Date("2026-12-01"),
      timeZone: "UTC",
      capacity: 10,
    },
  });
  await db.cohortFacilitator.create({ data: { cohortId: cohort.id, userId: user.id } });
  await db.cohortMember.create({
    data: { cohortId: cohort.id, userId: user.id, status: "ACTIVE", queuePosition: 0 },
  });
  const post = await db.cohortPost.create({
    data: { cohortId: cohort.id, authorId: user.id, body: `Post of ${tag}` },
  });
  await db.cohortPost.create({
    data: { cohortId: cohort.id, authorId: user.id, kind: "SHARED_ANSWER", shareId: share.id },
  });
  await db.cohortComment.create({
    data: { postId: post.id, authorId: user.id, body: `Comment of ${tag}` },
  });
  await db.cohortReaction.create({ data: { postId: post.id, userId: user.id, kind: "HEART" } });
  await db.cohortReport.create({
    data: { postId: post.id, reporterId: user.id, reason: `Report ${tag}` },
  });

  // Email.
  await db.email.create({
    data: {
      dedupeKey: `welcome:${tag}`,
      category: "welcome",
      toAddress: user.email,
      subject: `Welcome ${tag}`,
      html: "<p>Hi</p>",
      text: "Hi",
      status: "SENT",
      providerId: `prov-${tag}`,
    },
  });
  await db.emailEvent.create({
    data: { id: `evt-${tag}`, type: "email.delivered", providerId: `prov-${tag}` },
  });
  await db.nudgeDay.create({
    data: { userId: user.id, day: new Date("2026-12-01"), category: "reminder", dedupeKey: tag },
  });
  await db.emailSuppression.create({ data: { address: user.email, reason: "bounced" } });
  await db.outboxMessage.create({
    data: {
      fromAddress: "hello@kindred.local",
      toAddresses: [user.email],
      subject: `Outbox ${tag}`,
    },
  });
  await db.upload.create({
    data: {
      name: `upload-${tag}.png`,
      contentType: "image/png",
      size: 3,
      sha256: "x",
      bytes: Buffer.from([1, 2, 3]),
      uploaderId: user.id,
    },
  });

  // Payments.
  const plan = await db.plan.create({
    data: {
      name: `Plan ${tag}`,
      kind: "ONE_TIME",
      amount: 4900,
      currency: "eur",
      scope: "ALL_PROGRAMS",
    },
  });
  await db.comp.create({ data: { userId: user.id, reason: `Comp ${tag}` } });
  await db.billingCustomer.create({ data: { userId: user.id, stripeCustomerId: `cus_${tag}` } });
  await db.subscription.create({
    data: {
      id: `sub_${tag}`,
      userId: user.id,
      stripePriceId: `price_${tag}`,
      status: "ACTIVE",
      amount: 900,
      currency: "eur",
      interval: "MONTH",
      startedAt: new Date(),
    },
  });
  const purchase = await db.purchase.create({
    data: {
      userId: user.id,
      planId: plan.id,
      checkoutSessionId: `cs_${tag}`,
      chargeId: `ch_${tag}`,
      amount: 4900,
      currency: "eur",
      paidAt: new Date(),
    },
  });
  await db.invoice.create({
    data: {
      id: `in_${tag}`,
      userId: user.id,
      status: "paid",
      amountDue: 900,
      amountPaid: 900,
      currency: "eur",
      issuedAt: new Date(),
    },
  });
  await db.refund.create({
    data: {
      id: `re_${tag}`,
      chargeId: `ch_${tag}`,
      purchaseId: purchase.id,
      amount: 100,
      currency: "eur",
    },
  });
  return user;
}

const ctx = () => ({
  db: app.db,
  env: app.env,
  queue: app.queue,
  jobId: "job",
  retryCount: 0,
});

function unzip(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(
    Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]),
  );
}

describe("account export", () => {
  it("decides for every table whether it holds the member's rows; skips only on purpose", () => {
    const skipped = Object.entries(EXPORT_TABLES)
      .filter(([, entry]) => typeof entry !== "function")
      .map(([name]) => name);
    // A table skipped must be impersonal, or be one of these deliberate few.
    const personalButSkipped = skipped.filter(
      (name) => !INVENTORY[name as keyof typeof INVENTORY].impersonal,
    );
    expect(personalButSkipped.sort()).toEqual(["StripeEmuObject", "StripeEvent"]);
    expect(Object.keys(EXPORT_TABLES).sort()).toEqual(Object.keys(INVENTORY).sort());
  });

  it("puts every table with the member's data in the ZIP, and nothing of anyone else's", async () => {
    const maya = await seedMember("maya-export");
    const other = await seedMember("omar-export");
    const state = await app.caller(maya).exports.request({ scope: "everything" });
    expect(app.sent.at(-1)).toMatchObject({
      name: "privacy.export",
      payload: { exportId: state.id },
    });
    await accountExportJob.handler({ exportId: state.id }, ctx());

    const row = await app.db.accountExport.findUniqueOrThrow({ where: { id: state.id } });
    expect(row.status).toBe("READY");
    expect(row.total).toBeGreaterThan(30);
    expect(row.done).toBe(row.total);
    expect(row.size).toBe(row.zip!.byteLength);
    expect(row.expiresAt!.getTime() - row.readyAt!.getTime()).toBe(7 * 86_400_000);
    const status = await app.caller(maya).exports.status();
    expect(status).toMatchObject({ status: "READY", percent: 100, expired: false });
    expect(status!.href).toBe(`/api/export/account/${exportFileName(app.env.authSecret, row.id)}`);

    const files = unzip(row.zip!);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["README.md", "journal.md", "journal.json"]),
    );
    for (const [name] of exportedTables()) {
      const file = files[`tables/${name}.json`];
      expect(file, name).toBeDefined();
      const parsed = JSON.parse(file!) as { table: string; rows: unknown[] };
      expect([name, parsed.table]).toEqual([name, name]);
      expect([name, parsed.rows.length > 0]).toEqual([name, true]);
    }
    const all = Object.values(files).join("\n");
    // The member's own words are there; another member's never are.
    for (const text of [
      "Answer of maya-export",
      "Draft of maya-export",
      "Friend of maya-export",
      "Coffee maya-export",
      "Check-in maya-export",
      "Post of maya-export",
      "Comment of maya-export",
      "Welcome maya-export",
      "cus_maya-export",
      "in_maya-export",
      "re_maya-export",
      maya.id,
    ]) {
      expect(all, text).toContain(text);
    }
    expect(all).not.toContain("omar-export");
    expect(all).not.toContain(other.id);
    // Secrets never leave.
    expect(all).not.toContain("secret-");
    expect(files["journal.md"]).toContain("> Answer of maya-export");
    expect(JSON.parse(files["tables/User.json"]!).rows[0].calendarToken).toBeUndefined();

    // The email went once, under the export's own key, with the signed link in it.
    const emails = await app.db.email.findMany({
      where: { dedupeKey: `account-export:${row.id}` },
    });
    expect(emails).toHaveLength(1);
    expect(emails[0]!.toAddress).toBe(maya.email);
    expect(emails[0]!.subject).toBe("Your Kindred export is ready");
    expect(emails[0]!.text).toContain(exportFileName(app.env.authSecret, row.id));

    // A redelivered job (at least once) sends nothing more and keeps the ZIP.
    await accountExportJob.handler({ exportId: state.id }, ctx());
    // A crash mid-build (left RUNNING) is rebuilt on retry, still with one email.
    await app.db.accountExport.update({
      where: { id: row.id },
      data: { status: "RUNNING", done: 3, zip: null },
    });
    await accountExportJob.handler({ exportId: state.id }, ctx());
    const rebuilt = await app.db.accountExport.findUniqueOrThrow({ where: { id: state.id } });
    expect(rebuilt.status).toBe("READY");
    expect(rebuilt.done).toBe(rebuilt.total);
    expect(Object.keys(unzip(rebuilt.zip!)).sort()).toEqual(Object.keys(files).sort());
    expect(await app.db.email.count({ where: { dedupeKey: `account-export:${row.id}` } })).toBe(1);
  }, 60_000);

  it("marks an export failed only on its last attempt, and a deleted one is let go", async () => {
    // Deleted meanwhile (expired, or the account went): the job has nothing to do.
    const deps0 = { db: app.db, env: app.env, queue: app.queue };
    await expect(runExport(deps0, "no-such-export")).resolves.toBeUndefined();
    const member = await app.createUser("MEMBER");
    const row = await app.db.accountExport.create({ data: { userId: member.id } });
    await app.db.user.delete({ where: { id: member.id } });
    expect(await app.db.accountExport.count({ where: { id: row.id } })).toBe(0);
    await expect(runExport(deps0, row.id)).resolves.toBeUndefined();

    const alive = await app.createUser("MEMBER");
    const failing = await app.db.accountExport.create({ data: { userId: alive.id } });
    const brokenDb = new Proxy(app.db, {
      get(target, prop, receiver) {
        if (prop === "answerPass") throw new Error("database went away");
        return Reflect.get(target, prop, receiver);
      },
    });
    const deps = { db: brokenDb, env: app.env, queue: app.queue };
    // Every try but the last leaves it RUNNING for pg-boss to retry.
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      await expect(runExport(deps, failing.id)).rejects.toThrow("database went away");
      const row = await app.db.accountExport.findUniqueOrThrow({ where: { id: failing.id } });
      expect([row.status, row.attempts]).toEqual(["RUNNING", attempt]);
    }
    await expect(runExport(deps, failing.id)).rejects.toThrow();
    const failed = await app.db.accountExport.findUniqueOrThrow({ where: { id: failing.id } });
    expect(failed.status).toBe("FAILED");
    expect(failed.expiresAt).not.toBeNull();
    expect((await app.caller(alive).exports.status())?.status).toBe("FAILED");
    // A failed export does not block a new one.
    const next = await app.caller(alive).exports.request({ scope: "everything" });
    expect(next.id).not.toBe(failing.id);

    // A worker that died on its last try leaves the row RUNNING: after an hour it reads as failed,
    // and a new request starts afresh.
    const lost = await app.createUser("MEMBER");
    const hourAgo = new Date(Date.now() - 3_600_001);
    const stale = await app.db.accountExport.create({
      data: { userId: lost.id, status: "RUNNING", createdAt: hourAgo },
    });
    expect((await app.caller(lost).exports.status())?.status).toBe("FAILED");
    const fresh = await app.caller(lost).exports.request({ scope: "everything" });
    expect(fresh.id).not.toBe(stale.id);
    expect(fresh.status).toBe("QUEUED");
  });

  it("downloads only for its signed-in owner, while ready and not expired", async () => {
    const owner = await app.createUser("MEMBER");
    const stranger = await app.createUser("MEMBER");
    const state = await app.caller(owner).exports.request({ scope: "everything" });
    const file = exportFileName(app.env.authSecret, state.id);
    const get = (userId: string | null, name: string, now?: Date) =>
      accountExportResponse(app.db, app.env, userId, name, now);

    expect((await get(null, file)).status).toBe(401);
    // Not built yet.
    const pending = await get(owner.id, file);
    expect(pending.status).toBe(409);
    expect(pending.headers.get("Cache-Control")).toContain("no-store");

    await runExport({ db: app.db, env: app.env, queue: app.queue }, state.id);
    const ok = await get(owner.id, file);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Content-Type")).toBe("application/zip");
    expect(ok.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="kindred-export-\d{4}-\d{2}-\d{2}\.zip"$/,
    );
    expect(ok.headers.get("Cache-Control")).toBe("private, no-store");
    const body = new Uint8Array(await ok.arrayBuffer());
    expect(unzip(body)["tables/User.json"]).toContain(owner.email);

    // Someone else's export, a forged or altered signature and hostile names: all plain 404s.
    const hostile = [
      "",
      state.id,
      `${state.id}.`,
      `${state.id}.${"A".repeat(32)}`,
      exportFileName("another-secret-another-secret-another", state.id),
      `${file}x`,
      `../${file}`,
      "..%2F..%2Fetc%2Fpasswd",
      "\u0000",
      "%00",
      "\ud800.x",
      "a".repeat(100_000),
      exportFileName(app.env.authSecret, "no-such-export"),
      exportFileName(app.env.authSecret, 'x\'; DROP TABLE "User"; --'),
    ];
    for (const name of hostile) {
      expect([name.slice(0, 40), (await get(owner.id, name)).status]).toEqual([
        name.slice(0, 40),
        404,
      ]);
    }
    expect((await get(stranger.id, file)).status).toBe(404);

    // Past its time: gone, not a download (until the retention job deletes the row).
    const row = await app.db.accountExport.findUniqueOrThrow({ where: { id: state.id } });
    const later = new Date(row.expiresAt!.getTime() + 1000);
    expect((await get(owner.id, file, later)).status).toBe(410);
  });
});
