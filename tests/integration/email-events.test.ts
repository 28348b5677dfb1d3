import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { emailEventRequest, receiveEmailEvent } from "@/server/email/events";
import { queueNudge } from "@/server/nudges/send";
import { unsubscribeRequest } from "@/server/nudges/unsubscribe-http";
import { appRouter } from "@/server/trpc/root";
import { covered } from "../authz/emails";
import { closeSharedDb, createTestApp, shareWithHandlers, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";

/**
 * Resend's webhooks, signed as Resend (Svix) signs them: what they change on the email log,
 * suppression after a permanent bounce or a complaint (then no nudge goes there), each delivery
 * stored once, forged, stale and unsigned deliveries refused; and the admin's email console
 * (admins only; removing a suppression is audited).
 */
let app: TestApp;
let admin: Session["user"];
let member: Session["user"];
let counter = 0;

beforeAll(async () => {
  app = await createTestApp();
  shareWithHandlers(app);
  admin = await app.createUser("ADMIN");
  member = await app.createUser("MEMBER");
}, 60_000);

afterAll(async () => {
  await closeSharedDb();
  await app?.close();
});

/** Svix's scheme: base64 HMAC-SHA256 of "id.timestamp.body" under the secret's decoded key. */
function signed(body: string, options: { secret?: string; at?: number; id?: string } = {}) {
  const secret = options.secret ?? app.env.email.webhookSecret;
  const id = options.id ?? `msg_${++counter}_${Date.now()}`;
  const timestamp = String(options.at ?? Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return new Headers({ "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${mac}` });
}

async function sentEmail(to: string) {
  const providerId = `re_${++counter}_${Date.now()}`;
  const email = await app.db.email.create({
    data: {
      dedupeKey: `events-test:${providerId}`,
      category: "reflection",
      toAddress: to,
      subject: "A few quiet minutes",
      html: "<p>Hi</p>",
      text: "Hi",
      status: "SENT",
      providerId,
      sentAt: new Date(),
    },
  });
  return { email, providerId };
}

const event = (type: string, providerId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type,
    created_at: "2026-12-02T09:00:00.000Z",
    data: { email_id: providerId, to: ["someone@example.org"], ...extra },
  });

describe("Resend's webhooks", () => {
  it("note delivered and opened once, and a redelivery changes nothing", async () => {
    const { email, providerId } = await sentEmail("reader@example.org");
    const body = event("email.delivered", providerId);
    const headers = signed(body);
    expect(await receiveEmailEvent(app.db, body, headers, app.env.email.webhookSecret)).toEqual({
      status: 200,
      body: { received: true },
    });
    expect(
      (await receiveEmailEvent(app.db, body, headers, app.env.email.webhookSecret)).body,
    ).toMatchObject({ duplicate: true });
    const opened = event("email.opened", providerId);
    await receiveEmailEvent(app.db, opened, signed(opened), app.env.email.webhookSecret);
    const row = await app.db.email.findUniqueOrThrow({ where: { id: email.id } });
    expect(row.deliveredAt).toEqual(new Date("2026-12-02T09:00:00.000Z"));
    expect(row.openedAt).not.toBeNull();
    expect(await app.db.emailSuppression.count({ where: { address: "reader@example.org" } })).toBe(
      0,
    );
  });

  it("suppress after a permanent bounce or a complaint, not a transient bounce; then no nudge goes there", async () => {
    const secret = app.env.email.webhookSecret;
    const hard = await sentEmail("gone@example.org");
    const soft = await sentEmail("full-inbox@example.org");
    const spam = await sentEmail(member.email);
    for (const [type, providerId, extra] of [
      ["email.bounced", hard.providerId, { bounce: { type: "Permanent" } }],
      ["email.bounced", soft.providerId, { bounce: { type: "Transient" } }],
      ["email.complained", spam.providerId, {}],
    ] as const) {
      const body = event(type, providerId, extra);
      expect((await receiveEmailEvent(app.db, body, signed(body), secret)).status).toBe(200);
    }
    const suppressed = await app.db.emailSuppression.findMany({ orderBy: { address: "asc" } });
    expect(suppressed.map((s) => [s.address, s.reason])).toEqual(
      [
        ["gone@example.org", "bounced"],
        [member.email.toLowerCase(), "complained"],
      ].sort(),
    );
    const outcome = await queueNudge(app.db, app.env, app.queue, {
      userId: member.id,
      category: "cohort-nudge",
      dedupeKey: `after-complaint:${member.id}`,
      template: () => ({ kind: "welcome", name: null, appUrl: app.env.appUrl }),
    });
    expect(outcome.status).toBe("suppressed");
  });

  it("refuse forged, tampered, stale and unsigned deliveries, and store nothing", async () => {
    const { providerId } = await sentEmail("target@example.org");
    const body = event("email.complained", providerId);
    const good = signed(body);
    const stale = signed(body, { at: Math.floor(Date.now() / 1000) - 600 });
    const other = signed(body, { secret: "whsec_c29tZW9uZSBlbHNlJ3Mgc2VjcmV0IGtleQ==" });
    const before = await app.db.emailEvent.count();
    const cases: [string, string, Headers][] = [
      ["tampered", body.replace("complained", "delivered"), good],
      ["stale", body, stale],
      ["another secret", body, other],
      ["unsigned", body, new Headers()],
      [
        "garbage signature",
        body,
        new Headers({ "svix-id": "x", "svix-timestamp": "1", "svix-signature": "v1,!!" }),
      ],
      ["not JSON", "not json", signed("not json")],
    ];
    for (const [label, payload, headers] of cases) {
      const reply = await receiveEmailEvent(app.db, payload, headers, app.env.email.webhookSecret);
      expect([label, reply.status]).toEqual([label, 400]);
    }
    expect(await app.db.emailEvent.count()).toBe(before);
    expect(await app.db.emailSuppression.count({ where: { address: "target@example.org" } })).toBe(
      0,
    );
    // Not configured (a real deployment without RESEND_WEBHOOK_SECRET): refused, retried later.
    expect((await receiveEmailEvent(app.db, body, good, "")).status).toBe(503);
    // Types Kindred does not act on are acknowledged.
    const clicked = event("email.clicked", providerId);
    expect(
      (await receiveEmailEvent(app.db, clicked, signed(clicked), app.env.email.webhookSecret)).body,
    ).toMatchObject({ ignored: true });
  });

  it("the route answers 413 past the cap", async () => {
    const huge = event("email.delivered", "re_huge", { pad: "x".repeat(300_000) });
    const response = await emailEventRequest(
      new Request("http://127.0.0.1/api/resend/webhook", {
        method: "POST",
        headers: signed(huge),
        body: huge,
      }),
      app.db,
    );
    expect(response.status).toBe(413);
  });
});

describe("garbage at the email routes", () => {
  it("gets a 4xx, never a 5xx, whatever the bytes, headers or query", async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i++) {
      const bytes = new Uint8Array(randomBytes(Math.floor(Math.random() * 3000)));
      const junk = randomBytes(24).toString(i % 2 ? "base64" : "latin1");
      const headers = new Headers();
      if (i % 3 === 0) headers.set("svix-id", junk.replace(/[^\x20-\x7e]/g, "?"));
      if (i % 3 === 0) headers.set("svix-timestamp", String(i));
      if (i % 5 === 0) headers.set("svix-signature", `v1,${junk.replace(/[^\x20-\x7e]/g, "?")}`);
      const hook = await emailEventRequest(
        new Request("http://127.0.0.1/api/resend/webhook", {
          method: "POST",
          headers,
          body: bytes,
        }),
        app.db,
      );
      statuses.add(hook.status);
      const stop = await unsubscribeRequest(
        new Request(`http://127.0.0.1/api/email/unsubscribe?t=${encodeURIComponent(junk)}`, {
          method: "POST",
          body: bytes,
        }),
      );
      statuses.add(stop.status);
    }
    expect([...statuses].filter((status) => status >= 500)).toEqual([]);
    expect(statuses.has(400)).toBe(true);
  });
});

describe("the admin's email console", () => {
  it("covers every admin.emails procedure", () => {
    const procedures = Object.keys(appRouter._def.procedures).filter((p) =>
      p.startsWith("admin.emails."),
    );
    expect(procedures.sort()).toEqual([...covered].sort());
  });

  it("is for admins only", async () => {
    const coach = await app.createUser("COACH");
    for (const [who, user, code] of [
      ["anonymous", null, "UNAUTHORIZED"],
      ["member", member, "FORBIDDEN"],
      ["coach", coach, "FORBIDDEN"],
      ["admin", admin, "OK"],
    ] as const) {
      const c = app.caller(user);
      const results = [
        (await errorOf(() => c.admin.emails.list({}))).code,
        (await errorOf(() => c.admin.emails.stats())).code,
        (await errorOf(() => c.admin.emails.suppressions())).code,
      ];
      expect([who, ...results]).toEqual([who, code, code, code]);
      if (code !== "OK") {
        expect(
          (await errorOf(() => c.admin.emails.unsuppress({ address: "gone@example.org" }))).code,
        ).toBe(code);
      }
    }
  });

  it("lists and filters the log, counts the complaint rate, and removes a suppression with an audit entry", async () => {
    const c = app.caller(admin);
    const log = await c.admin.emails.list({ q: "GONE@" });
    expect(log.emails.map((e) => e.toAddress)).toEqual(["gone@example.org"]);
    expect(
      (await c.admin.emails.list({ status: "SENT", category: "reflection" })).emails.length,
    ).toBeGreaterThan(3);
    const bad = await errorOf(() => c.admin.emails.list({ status: "LOST" as "SENT" }));
    expect(bad.code).toBe("BAD_REQUEST");
    const stats = await c.admin.emails.stats();
    expect(stats.complained).toBe(1);
    expect(stats.complaintRate).toBeCloseTo(1 / stats.sent, 6);

    await c.admin.emails.unsuppress({ address: "Gone@Example.org" });
    expect(await app.db.emailSuppression.count({ where: { address: "gone@example.org" } })).toBe(0);
    const audit = await app.db.auditLog.findFirstOrThrow({
      where: { action: "email.unsuppressed" },
    });
    expect(audit.actorId).toBe(admin.id);
    expect(JSON.stringify(audit.details)).not.toContain("gone@");
    expect(
      (await errorOf(() => c.admin.emails.unsuppress({ address: "gone@example.org" }))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await errorOf(() => c.admin.emails.unsuppress({ address: "not an address" }))).code,
    ).toBe("BAD_REQUEST");
  });
});
