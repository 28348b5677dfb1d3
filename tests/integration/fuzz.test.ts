import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Role } from "@/generated/prisma/client";
import type { SessionUser } from "@/server/auth/session";
import { sessionCookieName } from "@/server/auth/tokens";
import { db } from "@/server/db";
import { env, resetEnvCache } from "@/server/env";
import { handleTrpcRequest } from "@/server/trpc/http";
import { authedProcedure, router } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/root";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { type FuzzCaller, fuzz, summarize, tableDigests } from "../helpers/fuzz";
import { serveFetch, type TestServer } from "../helpers/http-server";
import { type BillingHarness, startBillingHarness } from "../helpers/stripe";

/**
 * Hostile input against the real router over real HTTP: every procedure, found in the router
 * itself, gets at least 200 malformed inputs from anonymous, member, coach and admin callers.
 * No answer may be a server error, no malformed input may be accepted or get past the input
 * boundary, good calls batched with a bad one must still succeed, and no table may change.
 */

let app: TestApp;
let server: TestServer;
let billing: BillingHarness;
const callers: FuzzCaller[] = [{ name: "anonymous" }];
const ids: Record<string, string> = {};

async function signedIn(role: Role): Promise<[SessionUser, FuzzCaller]> {
  const user = await app.createUser(role);
  const token = randomBytes(32).toString("hex");
  await app.db.session.create({
    data: { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 86_400_000) },
  });
  return [
    user,
    { name: role.toLowerCase(), cookie: `${sessionCookieName(env().appUrl)}=${token}` },
  ];
}

/** Data of every caller's own, so the valid skeletons of inputs name ids that exist. */
async function seed() {
  const [member, memberCaller] = await signedIn("MEMBER");
  const [coach, coachCaller] = await signedIn("COACH");
  const [admin, adminCaller] = await signedIn("ADMIN");
  callers.push(memberCaller, coachCaller, adminCaller);

  const program = await seedProgram(app.db, coach.id);
  await seedProgram(app.db, admin.id);
  const asMember = app.caller(member);
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
  const share = await asMember.coaching.share({ passId: passes[0]!.passId, audience: "COACH" });
  const person = await asMember.community.add({ name: "Rosa", circle: "Friends" });
  await asMember.community.logReachOut({ personId: person.id, note: "Coffee" });
  const commitment = await asMember.commitments.create({
    text: "Call Rosa",
    dueOn: ANSWERS.COMMITMENT.dueOn,
  });
  const tick = await app.db.practiceTick.findFirstOrThrow({ where: { userId: member.id } });
  const other = await app.createUser("MEMBER");
  await app.caller(admin).admin.users.setRole({ userId: other.id, role: "COACH" });
  const email = await app.db.outboxMessage.create({
    data: {
      fromAddress: "hello@kindred.local",
      toAddresses: [member.email],
      subject: "Hi",
      text: "Hi",
    },
  });

  const cohort = await app.caller(coach).cohorts.create({
    programId: program.program.id,
    name: "Fuzz cohort",
    startDate: new Date().toISOString().slice(0, 10),
    timeZone: "UTC",
    capacity: 5,
  });
  await asMember.cohorts.join({ cohortId: cohort.id });
  const invite = await app.caller(coach).cohorts.createInvite({ cohortId: cohort.id });
  const post = await asMember.cohorts.post({ cohortId: cohort.id, body: "Hello" });
  const cohortComment = await asMember.cohorts.comment({ postId: post.id, body: "Hi" });
  const session = await app.caller(coach).cohorts.addSession({
    cohortId: cohort.id,
    title: "Call",
    date: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
    time: "18:00",
    durationMinutes: 60,
    joinUrl: "https://meet.example.org/x",
  });

  // Billing, bought through Stripe (the emulator) by a member who is none of the callers: the
  // callers have no Stripe customer, so nothing they send (billing.portal included) ever gets
  // as far as Stripe.
  const plansProgram = await seedProgram(app.db, coach.id, { accessRule: "PLANS" });
  const asAdmin = app.caller(admin).billing.admin;
  const monthly = await asAdmin.createPlan({
    name: "Fuzz monthly",
    kind: "RECURRING",
    interval: "MONTH",
    price: "12",
    currency: "gbp",
    scope: "ALL_PROGRAMS",
  });
  const oneTime = await asAdmin.createPlan({
    name: "Fuzz one-time",
    kind: "ONE_TIME",
    price: "49",
    currency: "eur",
    scope: "SOME_PROGRAMS",
    programIds: [plansProgram.program.id],
  });
  const buyer = await app.createUser("MEMBER");
  for (const planId of [monthly.id, oneTime.id]) {
    const { url } = await app
      .caller(buyer)
      .billing.checkout({ planId, attempt: crypto.randomUUID() });
    const paid = await billing.pay(url);
    if (paid.status !== 303) throw new Error(`checkout not paid: ${paid.status}`);
  }
  await billing.deliver();
  const purchase = await app.db.purchase.findFirstOrThrow({ where: { userId: buyer.id } });
  const invoice = await app.db.invoice.findFirstOrThrow({ where: { userId: buyer.id } });
  const event = await app.db.stripeEvent.findFirstOrThrow({ where: { status: "PROCESSED" } });
  const comp = await asAdmin.grantComp({
    email: buyer.email,
    programId: plansProgram.program.id,
    reason: "Fuzz",
  });

  Object.assign(ids, {
    planId: monthly.id,
    purchaseId: purchase.id,
    invoiceId: invoice.id,
    checkoutSessionId: purchase.checkoutSessionId,
    compId: comp.id,
    eventId: event.id,
    plansProgramId: plansProgram.program.id,
    buyerEmail: buyer.email,
    cohortId: cohort.id,
    cohortSlug: cohort.slug,
    postId: post.id,
    commentId: cohortComment.id,
    sessionId: session.id,
    token: invite.token,
    programId: program.program.id,
    moduleId: program.modules[0]!.id,
    stepId: program.steps.a,
    exerciseId: program.ex.REFLECTION,
    passId: passes[0]!.passId,
    passIdA: passes[0]!.passId,
    passIdB: passes[1]!.passId,
    shareId: share.id,
    personId: person.id,
    tickId: tick.id,
    userId: other.id,
    parentId: program.program.id,
    commitment: commitment.id,
    email: email.id,
  });
}

/**
 * Billing's valid skeletons: real rows, and values its schemas check beyond their type (a price,
 * a currency, an attempt id), so that each malformed input is refused for its own bad part.
 */
function billingValue(procedure: string, field: string): string | undefined {
  switch (field) {
    case "sessionId":
      return ids.checkoutSessionId;
    case "cursor":
      return procedure === "billing.admin.invoices" ? ids.invoiceId : ids.purchaseId;
    case "programId":
      return procedure === "billing.forProgram" ? ids.plansProgramId : ids.programId;
    case "programIds":
      return ids.plansProgramId;
    case "email":
      return ids.buyerEmail;
    case "attempt":
      return "5b0c3a4e-8f1d-4c2b-9a6e-2d7f1e0b3c59";
    case "price":
      return "12";
    case "amount":
      return "1";
    case "currency":
      return "gbp";
    default:
      return ids[field];
  }
}

/** `id` means a different row in each domain; everything else is named by its field. */
function idFor(procedure: string, field: string): string | undefined {
  if (procedure.startsWith("billing.")) return billingValue(procedure, field);
  if (procedure === "cohorts.home" && field === "slug") return ids.cohortSlug;
  if (field !== "id") return field === "email" ? undefined : ids[field];
  if (/Module$/.test(procedure)) return ids.moduleId;
  if (/(Step|moveStep)$/.test(procedure)) return ids.stepId;
  if (/Exercise$/.test(procedure)) return ids.exerciseId;
  if (procedure.startsWith("commitments.")) return ids.commitment;
  if (procedure.startsWith("community.")) return ids.personId;
  if (procedure.startsWith("mailbox.")) return ids.email;
  return ids.programId;
}

beforeAll(async () => {
  app = await createTestApp();
  // The handler reads the process-wide settings and client: point both at this file's database.
  process.env.DATABASE_URL = app.database.url;
  resetEnvCache();
  // Stripe (the emulator) for the seed's plans and purchases; it points the process-wide
  // settings, and so the session cookie's name, at itself: started before anyone signs in.
  billing = await startBillingHarness(app.db, app.queue);
  await seed();
  server = await serveFetch((request) => handleTrpcRequest(request));
}, 120_000);

afterAll(async () => {
  await server?.close();
  await billing?.close();
  await db().$disconnect();
  await app?.close();
});

describe("fuzzing every procedure over HTTP", () => {
  it("answers malformed input with clean refusals and changes nothing", async () => {
    const before = await tableDigests(app.db);
    const started = Date.now();
    const report = await fuzz({ url: server.url, router: appRouter, callers, idFor });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const counts = new Map<string, number>();
    for (const f of report.failures) {
      const key = `${f.kind}: ${f.procedure}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const kinds = [...counts].map(([key, n]) => `${key} × ${n}`);
    console.info(
      `[fuzz] ${report.procedures.length} procedures, ${report.calls} calls in ${report.requests} requests, ${report.goodNeighbours} good neighbours, ${seconds} s; ${report.failures.length} failures${kinds.length ? `:\n  ${kinds.join("\n  ")}` : ""}`,
    );

    expect(report.procedures.sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
    const few = Object.entries(report.inputsPerProcedure).filter(([, n]) => n < 200);
    expect(few).toEqual([]);
    expect(report.goodNeighbours).toBeGreaterThan(0);
    expect(summarize(report.failures)).toEqual([]);
    expect(await tableDigests(app.db)).toEqual(before);
  }, 600_000);
});

/**
 * The harness must be able to fail: the same run against a router with broken procedures
 * (unchecked text into a query, a plain Error, a write of unchecked input, a procedure without
 * input that acts on what it is sent) reports them.
 */
const brokenRouter = router({
  broken: router({
    // A bare z.string() (no shared schema): NUL reaches PostgreSQL.
    lookup: authedProcedure
      .input(z.object({ name: z.string() }))
      .query(({ ctx, input }) => ctx.db.user.findFirst({ where: { name: input.name } })),
    // Fails for any input that gets through its (too lenient) schema.
    crash: authedProcedure.input(z.object({ text: z.string().max(100) })).query(() => {
      throw new Error("a bug");
    }),
    // Declares no input, yet acts on what it is sent: unlike a plain call, any input is refused
    // with a code no input boundary gives.
    // Stores whatever it is sent.
    note: authedProcedure
      .input(z.object({ text: z.string().max(10_000) }))
      .mutation(({ ctx, input }) =>
        ctx.db.auditLog.create({
          data: {
            actorId: ctx.user.id,
            action: "fuzz.note",
            targetType: "note",
            details: { text: input.text },
          },
        }),
      ),
  }),
});

describe("the fuzz harness", () => {
  it("reports server errors, accepted input and changed data from a broken router", async () => {
    const broken = await serveFetch((request) =>
      handleTrpcRequest(request, { router: brokenRouter }),
    );
    // The handler logs each server error; here they are the point, not news.
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const before = await tableDigests(app.db);
      const report = await fuzz({
        url: broken.url,
        router: brokenRouter,
        callers: callers.filter((c) => c.name === "member"),
        idFor: () => undefined,
      });
      const kinds = (path: string) =>
        new Set(report.failures.filter((f) => f.procedure === path).map((f) => f.kind));
      expect(kinds("broken.lookup")).toContain("server error");
      expect(kinds("broken.crash")).toContain("server error");
      expect(kinds("broken.note")).toContain("accepted");
      expect(await tableDigests(app.db)).not.toEqual(before);
    } finally {
      quiet.mockRestore();
      await broken.close();
    }
  }, 300_000);
});
