import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deleteAccount,
  FORMER_MEMBER_EMAIL,
  FORMER_MEMBER_ID,
  FORMER_MEMBER_NAME,
} from "@/server/account/delete";
import { DELETION_REQUEST_LIMIT } from "@/server/account/request";
import type { SessionUser } from "@/server/auth/session";
import { stripe } from "@/server/billing/stripe";
import { queueEmail, sendQueuedEmail } from "@/server/email/service";
import { resetEnvCache } from "@/server/env";
import { appRouter } from "@/server/trpc/root";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { type BillingHarness, startBillingHarness } from "../helpers/stripe";

/**
 * Issue 12, part 3: deleting an account. After it, no row references the member but the ones
 * moved to the stand-in "A former member"; Stripe's customer is gone; nothing is sent to the
 * address; the audit log keeps an entry that names nobody.
 */
let app: TestApp;
let billing: BillingHarness;
let coach: SessionUser;
let admin: SessionUser;

beforeAll(async () => {
  app = await createTestApp();
  process.env.DATABASE_URL = app.database.url;
  resetEnvCache();
  billing = await startBillingHarness(app.db, app.queue);
  coach = await app.createUser("COACH");
  admin = await app.createUser("ADMIN");
}, 60_000);

afterAll(async () => {
  await billing?.close();
  await app?.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

/** The token in the newest deletion email to `to`, as the member would click it. */
async function linkTo(to: string): Promise<string> {
  const email = await app.db.email.findFirstOrThrow({
    where: { toAddress: to, category: "account" },
    orderBy: { createdAt: "desc" },
  });
  expect(email.subject).toBe("Confirm deleting your Kindred account");
  const url = new URL(email.text.match(/https?:\/\/\S+\/account\/delete\S*/)![0]);
  return url.searchParams.get("token")!;
}

/** Every column with a foreign key to "User"(id), found in the database itself. */
async function userReferences() {
  return app.db.$queryRaw<{ table: string; column: string }[]>`
    SELECT kcu.table_name AS table, kcu.column_name AS column
      FROM information_schema.referential_constraints rc
      JOIN information_schema.key_column_usage kcu
        ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
      JOIN information_schema.constraint_column_usage ccu
        ON ccu.constraint_name = rc.unique_constraint_name
       AND ccu.constraint_schema = rc.unique_constraint_schema
     WHERE ccu.table_name = 'User' AND ccu.column_name = 'id' AND kcu.table_schema = 'public'`;
}

/** Rows per table and column that still hold `userId`. */
async function rowsHolding(userId: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  const columns = [
    ...(await userReferences()),
    // Ids kept without a foreign key.
    { table: "CohortPost", column: "hiddenById" },
    { table: "Refund", column: "createdById" },
    { table: "AuditLog", column: "targetId" },
    { table: "User", column: "id" },
  ];
  for (const { table, column } of columns) {
    const [row] = await app.db.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "${table}" WHERE "${column}" = $1`,
      userId,
    );
    if (Number(row!.n) > 0) found[`${table}.${column}`] = Number(row!.n);
  }
  return found;
}

/** Rows that hold the address itself. */
async function rowsNaming(address: string) {
  return {
    email: await app.db.email.count({ where: { toAddress: address } }),
    outbox: await app.db.outboxMessage.count({ where: { toAddresses: { has: address } } }),
    links: await app.db.verificationToken.count({ where: { identifier: address } }),
    suppressed: await app.db.emailSuppression.count({ where: { address } }),
    rateLimits: await app.db.rateLimitHit.count({ where: { key: address } }),
    users: await app.db.user.count({ where: { email: address } }),
  };
}

/** A member with something in every area, and another member in the same cohort. */
async function memberWithEverything() {
  const member = await app.createUser("MEMBER", { name: "Zelda Deletable" });
  const other = await app.createUser("MEMBER");
  const asMember = app.caller(member);
  const program = await seedProgram(app.db, coach.id);
  await asMember.player.enrol({ programId: program.program.id });
  const passes = [];
  for (const kind of Object.keys(ANSWERS) as (keyof typeof ANSWERS)[]) {
    passes.push(
      await asMember.player.submit({ exerciseId: program.ex[kind], content: ANSWERS[kind] }),
    );
  }
  await asMember.player.saveDraft({
    exerciseId: program.laterExerciseId,
    content: { text: "A draft" },
    baseVersion: 0,
  });
  await asMember.coaching.share({ passId: passes[0]!.passId, audience: "COACH" });
  const person = await asMember.community.add({ name: "Rosa", circle: "Friends" });
  await asMember.community.logReachOut({ personId: person.id, note: "Coffee" });
  const commitment = await asMember.commitments.create({
    text: "Call Rosa",
    dueOn: ANSWERS.COMMITMENT.dueOn,
  });
  await asMember.commitments.checkIn({ id: commitment.id, outcome: "DONE" });

  const cohort = await app.caller(coach).cohorts.create({
    programId: program.program.id,
    name: `Deletion cohort ${Date.now()}`,
    startDate: new Date().toISOString().slice(0, 10),
    timeZone: "UTC",
    capacity: 5,
  });
  await asMember.cohorts.join({ cohortId: cohort.id });
  await app
    .caller(other)
    .player.enrol({ programId: program.program.id })
    .catch(() => {});
  await app.caller(other).cohorts.join({ cohortId: cohort.id });
  const post = await asMember.cohorts.post({ cohortId: cohort.id, body: "Hello from Zelda" });
  const othersPost = await app.caller(other).cohorts.post({ cohortId: cohort.id, body: "Hi all" });
  const comment = await asMember.cohorts.comment({ postId: othersPost.id, body: "Welcome!" });
  const othersComment = await app
    .caller(other)
    .cohorts.comment({ postId: post.id, body: "Thanks Zelda" });
  await asMember.cohorts.react({ postId: othersPost.id, kind: "HEART" });
  await asMember.cohorts.report({ postId: othersPost.id, reason: "Test" });
  const shared = await asMember.cohorts.shareAnswer({
    cohortId: cohort.id,
    passId: passes[1]!.passId,
    consent: true,
    note: "Mine",
  });

  // A paid subscription through Stripe (the emulator).
  const plan = await app.caller(admin).billing.admin.createPlan({
    name: `Monthly ${Date.now()}`,
    kind: "RECURRING",
    interval: "MONTH",
    price: "12",
    currency: "gbp",
    scope: "ALL_PROGRAMS",
  });
  const { url } = await asMember.billing.checkout({
    planId: plan.id,
    attempt: crypto.randomUUID(),
  });
  expect((await billing.pay(url)).status).toBe(303);
  await billing.deliver();
  const customer = await app.db.billingCustomer.findUniqueOrThrow({
    where: { userId: member.id },
  });
  const subscription = await app.db.subscription.findFirstOrThrow({
    where: { userId: member.id },
  });
  expect(await app.db.invoice.count({ where: { userId: member.id } })).toBeGreaterThan(0);

  // Sessions, an avatar, an email waiting to go, a sign-in link, audit rows about the member.
  await app.db.session.createMany({
    data: ["a", "b"].map((k) => ({
      sessionToken: `del-${k}-${member.id}`,
      userId: member.id,
      expires: new Date(Date.now() + 86_400_000),
    })),
  });
  // Three pictures: the avatar, one shown in a post that stays, one never used.
  const picture = (n: number) => `${randomBytes(16).toString("hex")}${n}.png`.slice(-36);
  const [avatar, inPost, unused] = [picture(1), picture(2), picture(3)];
  await app.db.upload.createMany({
    data: [avatar, inPost, unused].map((name) => ({
      name,
      contentType: "image/png",
      size: 1,
      sha256: "x",
      bytes: Buffer.from([1]),
      uploaderId: member.id,
    })),
  });
  await app.db.user.update({
    where: { id: member.id },
    data: { image: `/api/uploads/${avatar}` },
  });
  await app.db.cohortPost.update({
    where: { id: post.id },
    data: { body: `Hello from Zelda ![a view](/api/uploads/${inPost})` },
  });
  const { emailId: queuedId } = await queueEmail(app.db, app.queue, {
    dedupeKey: `welcome:${member.id}`,
    category: "welcome",
    to: member.email,
    template: { kind: "welcome", name: "Zelda", appUrl: app.env.appUrl },
  });
  await app.caller(null, "198.51.100.77").auth.requestLink({ email: member.email });
  await app.caller(admin).admin.users.setRole({ userId: member.id, role: "COACH" });
  await app.caller(admin).admin.users.setRole({ userId: member.id, role: "MEMBER" });
  await app.db.emailSuppression.create({ data: { address: member.email, reason: "bounced" } });
  await app.db.outboxMessage.create({
    data: { fromAddress: "k@x.test", toAddresses: [member.email], subject: "Old", text: "x" },
  });

  return {
    member,
    other,
    cohort,
    post,
    comment,
    othersPost,
    othersComment,
    shared,
    pictures: { avatar, inPost, unused },
    customerId: customer.stripeCustomerId,
    subscriptionId: subscription.id,
    queuedId,
  };
}

describe("deleting one's own account", () => {
  it("asks, emails a link, and on confirmation leaves nothing that references the member", async () => {
    const seeded = await memberWithEverything();
    const { member } = seeded;
    const caller = app.caller(member);

    expect(await caller.account.deletionState()).toEqual({ pending: null });
    const asked = await caller.account.requestDeletion({ confirm: true });
    expect(asked.email).toBe(member.email);
    expect((await caller.account.deletionState()).pending?.expires).toEqual(asked.expires);
    const token = await linkTo(member.email);
    // Only a hash is stored.
    expect(JSON.stringify(await app.db.accountDeletion.findMany())).not.toContain(token);
    expect(await caller.account.deletionLink({ token })).toEqual({ state: "live" });
    // Another signed-in member cannot use it.
    expect(await app.caller(seeded.other).account.deletionLink({ token })).toEqual({
      state: "other-account",
    });
    expect(await codeOf(app.caller(seeded.other).account.confirmDeletion({ token }))).toBe(
      "FORBIDDEN",
    );
    const jobsBefore = app.sent.length;

    expect(await caller.account.confirmDeletion({ token })).toEqual({ deleted: true });

    // 1. Nothing references the member (every foreign key to User, found generically).
    const references = (await userReferences()).map((r) => `${r.table}.${r.column}`);
    expect(references).toEqual(
      expect.arrayContaining([
        "AnswerPass.userId",
        "CohortPost.authorId",
        "AccountDeletion.userId",
      ]),
    );
    expect(references.length).toBeGreaterThan(30);
    expect(await rowsHolding(member.id)).toEqual({});
    expect(await rowsNaming(member.email)).toEqual({
      email: 0,
      outbox: 0,
      links: 0,
      suppressed: 0,
      rateLimits: 0,
      users: 0,
    });

    // 2. The cohort stays coherent: the member's post and comment are the stand-in's.
    const standIn = await app.db.user.findUniqueOrThrow({ where: { id: FORMER_MEMBER_ID } });
    expect(standIn).toMatchObject({ name: FORMER_MEMBER_NAME, email: FORMER_MEMBER_EMAIL });
    expect(standIn.deactivatedAt).not.toBeNull();
    const post = await app.db.cohortPost.findUniqueOrThrow({ where: { id: seeded.post.id } });
    expect(post).toMatchObject({ authorId: FORMER_MEMBER_ID });
    expect(post.body).toContain("Hello from Zelda");
    // The picture shown in that post stays with it; the avatar and the unused one are gone.
    const pictures = await app.db.upload.findMany({
      where: { name: { in: Object.values(seeded.pictures) } },
      select: { name: true, uploaderId: true },
    });
    expect(pictures).toEqual([{ name: seeded.pictures.inPost, uploaderId: FORMER_MEMBER_ID }]);
    const comment = await app.db.cohortComment.findUniqueOrThrow({
      where: { id: seeded.comment.id },
    });
    expect(comment.authorId).toBe(FORMER_MEMBER_ID);
    // Others' words stay theirs; the shared snapshot went, and its post with it.
    expect(
      await app.db.cohortComment.findUniqueOrThrow({ where: { id: seeded.othersComment.id } }),
    ).toMatchObject({ authorId: seeded.other.id });
    expect(await app.db.share.count({ where: { userId: member.id } })).toBe(0);
    expect(
      await app.db.cohortPost.count({
        where: { shareId: { not: null }, cohortId: seeded.cohort.id },
      }),
    ).toBe(0);
    const feed = await app.caller(seeded.other).cohorts.feed({ cohortId: seeded.cohort.id });
    expect(JSON.stringify(feed)).toContain(FORMER_MEMBER_NAME);
    expect(JSON.stringify(feed)).not.toContain("Zelda Deletable");
    // The ledger stays, on the stand-in, without the hosted page that shows the customer.
    const invoices = await app.db.invoice.findMany({ where: { userId: FORMER_MEMBER_ID } });
    expect(invoices.length).toBeGreaterThan(0);
    expect(invoices.every((i) => i.hostedInvoiceUrl === null)).toBe(true);

    // 3. Stripe: the customer is deleted and the subscription cancelled, through the API.
    expect(await stripe().customers.retrieve(seeded.customerId)).toMatchObject({ deleted: true });
    expect((await stripe().subscriptions.retrieve(seeded.subscriptionId)).status).toBe("canceled");
    // Its webhooks now name a customer Kindred does not know: ignored, nothing recreated.
    await billing.deliver();
    expect(await rowsHolding(member.id)).toEqual({});
    expect(
      await app.db.billingCustomer.count({ where: { stripeCustomerId: seeded.customerId } }),
    ).toBe(0);

    // 4. Nothing is sent to the address: the queued email's job finds no email to send.
    const delivered: string[] = [];
    const mailer = {
      deliver: async (email: { to: string }) => {
        delivered.push(email.to);
        return { id: "x" };
      },
      deliverBatch: async () => [],
    };
    expect(
      await sendQueuedEmail(app.db, mailer as never, seeded.queuedId, "kindred@test.local"),
    ).toBe("missing");
    expect(delivered).toEqual([]);
    expect(app.sent.slice(jobsBefore).filter((j) => j.name === "email.send")).toEqual([]);

    // 5. The audit entry names nobody.
    const [entry] = await app.db.auditLog.findMany({
      where: { action: "user.account_deleted" },
      orderBy: { createdAt: "desc" },
      take: 1,
    });
    expect(entry).toMatchObject({
      actorId: FORMER_MEMBER_ID,
      targetUserId: null,
      targetId: null,
      details: { by: "member" },
    });
    const text = JSON.stringify(entry);
    for (const personal of [member.id, member.email, "Zelda"]) expect(text).not.toContain(personal);
    const listed = await app.caller(admin).admin.users.audit({ area: "users" });
    expect(listed.items[0]).toMatchObject({
      actor: FORMER_MEMBER_NAME,
      sentence: "deleted their own account, confirmed from their email",
    });

    // 6. The link worked once; the address can start a fresh account.
    expect(await codeOf(caller.account.confirmDeletion({ token }))).toBe("BAD_REQUEST");
    await app.caller(null, "198.51.100.78").auth.requestLink({ email: member.email });
    expect(await app.db.verificationToken.count({ where: { identifier: member.email } })).toBe(1);
  }, 60_000);

  it("refuses bad, expired, used and withdrawn links with BAD_REQUEST", async () => {
    const member = await app.createUser("MEMBER");
    const caller = app.caller(member);
    expect(await codeOf(caller.account.confirmDeletion({ token: "a".repeat(64) }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(caller.account.confirmDeletion({ token: "not a token!" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await caller.account.deletionLink({ token: "b".repeat(64) })).toEqual({
      state: "dead",
    });

    await caller.account.requestDeletion({ confirm: true });
    const expired = await linkTo(member.email);
    await app.db.accountDeletion.updateMany({
      where: { userId: member.id },
      data: { expires: new Date(Date.now() - 1000) },
    });
    expect(await caller.account.deletionLink({ token: expired })).toEqual({ state: "dead" });
    expect(await caller.account.deletionState()).toEqual({ pending: null });
    expect(await codeOf(caller.account.confirmDeletion({ token: expired }))).toBe("BAD_REQUEST");

    // Asking again replaces the link; withdrawing it kills the new one.
    await caller.account.requestDeletion({ confirm: true });
    const withdrawn = await linkTo(member.email);
    expect(withdrawn).not.toBe(expired);
    expect(await caller.account.cancelDeletion({ cancel: true })).toEqual({ cancelled: 1 });
    expect(await codeOf(caller.account.confirmDeletion({ token: withdrawn }))).toBe("BAD_REQUEST");
    expect(await app.db.user.count({ where: { id: member.id } })).toBe(1);

    // Three requests an hour.
    expect(DELETION_REQUEST_LIMIT.max).toBe(3);
    await caller.account.requestDeletion({ confirm: true });
    expect(await codeOf(caller.account.requestDeletion({ confirm: true }))).toBe(
      "TOO_MANY_REQUESTS",
    );
  });

  it("tells the browser to forget its session cookie", async () => {
    const member = await app.createUser("MEMBER");
    await app.caller(member).account.requestDeletion({ confirm: true });
    const token = await linkTo(member.email);
    const resHeaders = new Headers();
    const caller = appRouter.createCaller({
      db: app.db,
      env: app.env,
      session: { user: member, expires: new Date(Date.now() + 60_000) },
      ip: "127.0.0.5",
      resHeaders,
      queue: async () => app.queue,
    });
    expect(await caller.account.confirmDeletion({ token })).toEqual({ deleted: true });
    expect(resHeaders.get("set-cookie")).toMatch(/session-token=; Path=\/; Max-Age=0; HttpOnly/);
  });

  it("finishes a deletion that stopped half-way, and two at once delete once", async () => {
    const { member, customerId } = await memberWithEverything();
    // The first try deleted the Stripe customer, then stopped before the database part.
    await stripe().customers.del(customerId);
    const results = await Promise.all([
      deleteAccount(app.db, member.id, { kind: "member" }),
      deleteAccount(app.db, member.id, { kind: "member" }),
    ]);
    expect(results.map((r) => r.deleted).sort()).toEqual([false, true]);
    expect(await rowsHolding(member.id)).toEqual({});
    expect(await deleteAccount(app.db, member.id, { kind: "member" })).toEqual({ deleted: false });
  }, 60_000);

  it("keeps the demo's shared accounts on a demo deployment", async () => {
    expect(app.env.demo).toBe(true);
    const maya = await app.createUser("MEMBER", { email: "maya@demo.kindred.local" });
    expect(await codeOf(app.caller(maya).account.requestDeletion({ confirm: true }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await codeOf(app.caller(admin).admin.users.deleteAccount({ userId: maya.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await app.db.user.count({ where: { id: maya.id } })).toBe(1);
  });

  it("never deletes the last active admin", async () => {
    const admins = await app.db.user.findMany({
      where: { role: "ADMIN", deactivatedAt: null },
      select: { id: true },
    });
    const [lone, ...rest] = admins;
    await app.db.user.updateMany({
      where: { id: { in: rest.map((a) => a.id) } },
      data: { deactivatedAt: new Date() },
    });
    try {
      const me = await app.db.user.findUniqueOrThrow({
        where: { id: lone!.id },
        select: { id: true, email: true, name: true, role: true, timeZone: true },
      });
      expect(await codeOf(app.caller(me).account.requestDeletion({ confirm: true }))).toBe(
        "PRECONDITION_FAILED",
      );
      await expect(deleteAccount(app.db, me.id, { kind: "member" })).rejects.toThrow(
        /last active admin/,
      );
    } finally {
      await app.db.user.updateMany({
        where: { id: { in: rest.map((a) => a.id) } },
        data: { deactivatedAt: null },
      });
    }
  });
});

describe("an admin deleting an account on request", () => {
  it("runs the same deletion, audited with the reason and the admin", async () => {
    const { member, customerId } = await memberWithEverything();
    expect(
      await app
        .caller(admin)
        .admin.users.deleteAccount({ userId: member.id, reason: "Asked by email" }),
    ).toEqual({ deleted: true });
    expect(await rowsHolding(member.id)).toEqual({});
    expect(await stripe().customers.retrieve(customerId)).toMatchObject({ deleted: true });
    const [entry] = await app.db.auditLog.findMany({
      where: { action: "user.account_deleted", actorId: admin.id },
    });
    expect(entry).toMatchObject({ details: { by: "admin", reason: "Asked by email" } });
    expect(JSON.stringify(entry)).not.toContain(member.email);

    // Again: the account is gone.
    expect(await codeOf(app.caller(admin).admin.users.deleteAccount({ userId: member.id }))).toBe(
      "NOT_FOUND",
    );
    // Not oneself, and never the stand-in.
    expect(await codeOf(app.caller(admin).admin.users.deleteAccount({ userId: admin.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(
      await codeOf(app.caller(admin).admin.users.deleteAccount({ userId: FORMER_MEMBER_ID })),
    ).toBe("PRECONDITION_FAILED");
    // Nor can the stand-in be promoted or brought back to sign in.
    for (const change of [
      app.caller(admin).admin.users.setRole({ userId: FORMER_MEMBER_ID, role: "ADMIN" }),
      app.caller(admin).admin.users.reactivate({ userId: FORMER_MEMBER_ID }),
    ]) {
      expect(await codeOf(change)).toBe("PRECONDITION_FAILED");
    }
    expect(await app.db.user.findUniqueOrThrow({ where: { id: FORMER_MEMBER_ID } })).toMatchObject({
      role: "MEMBER",
      deactivatedAt: expect.any(Date),
    });
    expect(
      await codeOf(
        app.caller(admin).admin.users.deleteAccount({ userId: member.id, reason: "x".repeat(301) }),
      ),
    ).toBe("BAD_REQUEST");
  }, 60_000);
});
