import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { sendEmailJob, sweepEmailsJob } from "@/server/email/jobs";
import { createMailer, DeliveryError, type Mailer } from "@/server/email/mailer";
import {
  getOutboxMessage,
  listOutbox,
  outboxMessageForEmail,
  prismaOutboxStore,
} from "@/server/email/outbox";
import { renderEmail } from "@/server/email/render";
import { MAX_SEND_ATTEMPTS } from "@/server/email/send";
import { type QueueEmailInput, queueEmail, sendQueuedEmail } from "@/server/email/service";
import { createResendEmulator } from "@/server/emulators/resend";
import { type Env, emulatorApiKey, parseEnv } from "@/server/env";
import type { JobDefinition } from "@/server/jobs/define";
import type { Queue, SendOptions } from "@/server/jobs/queue";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { serveFetch, type TestServer } from "../helpers/http-server";

// The mailer and the emulator share the key derived from it, as in a demo deployment.
const SECRET = "email-tests-secret-email-tests-secret-1234";

const FROM = "Kindred <hello@kindred.local>";
const BASE_PATH = "/api/emulators/resend";
const APP_URL = "http://kindred.test";
const SIGN_IN_URL = `${APP_URL}/api/auth/callback/email?callbackUrl=${encodeURIComponent(
  `${APP_URL}/dashboard`,
)}&token=abc123&email=member%40example.org`;

type Sent = { job: string; payload: unknown; options: SendOptions | undefined };

/** Records what would go to pg-boss; the database under test stays real. */
function recordingQueue(): Queue & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async send(job: JobDefinition, payload: unknown, options?: SendOptions) {
      sent.push({ job: job.name, payload, options });
      return `job-${sent.length}`;
    },
  } as Queue & { sent: Sent[] };
}

let database: TestDatabase;
let db: Db;
let otherWorkerDb: Db;
let emulator: TestServer;
let env: Env;
let mailer: Mailer;
let counter = 0;

const key = (label: string) => `test:${label}:${++counter}`;

function signIn(dedupeKey: string, to = "member@example.org"): QueueEmailInput {
  return {
    dedupeKey,
    category: "sign-in",
    to,
    template: { kind: "sign-in", url: SIGN_IN_URL, expiresInMinutes: 30, appUrl: APP_URL },
  };
}

async function queued(label: string, to?: string): Promise<string> {
  const { emailId } = await queueEmail(db, recordingQueue(), signIn(key(label), to));
  return emailId;
}

async function outboxFor(emailId: string) {
  const { dedupeKey } = await db.email.findUniqueOrThrow({ where: { id: emailId } });
  return db.outboxMessage.findMany({ where: { idempotencyKey: dedupeKey } });
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url);
  // A second pool stands in for a second worker process.
  otherWorkerDb = createDb(database.url);
  emulator = await serveFetch(
    createResendEmulator({
      store: prismaOutboxStore(db),
      apiKey: emulatorApiKey(SECRET),
      basePath: BASE_PATH,
    }),
  );
  env = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: SECRET,
    KINDRED_DEMO: "1",
    RESEND_BASE_URL: `${emulator.url}${BASE_PATH}`,
    EMAIL_FROM: FROM,
  });
  mailer = createMailer(env);
});

afterAll(async () => {
  await emulator?.close();
  await db?.$disconnect();
  await otherWorkerDb?.$disconnect();
  await database?.drop();
});

describe("queueEmail", () => {
  it("stores one row per dedupe key and enqueues email.send keyed by the email", async () => {
    const queue = recordingQueue();
    const dedupeKey = key("once");
    const first = await queueEmail(db, queue, signIn(dedupeKey));
    const second = await queueEmail(db, queue, signIn(dedupeKey));

    expect(first.created).toBe(true);
    expect(second).toEqual({ emailId: first.emailId, created: false });
    expect(await db.email.count({ where: { dedupeKey } })).toBe(1);
    const row = await db.email.findUniqueOrThrow({ where: { id: first.emailId } });
    expect(row).toMatchObject({
      status: "QUEUED",
      category: "sign-in",
      toAddress: "member@example.org",
      subject: "Your Kindred sign-in link",
    });
    // Still QUEUED, so the repeat enqueues too (the first enqueue may have been lost).
    expect(queue.sent).toEqual([
      {
        job: "email.send",
        payload: { emailId: first.emailId },
        options: { singletonKey: first.emailId },
      },
      {
        job: "email.send",
        payload: { emailId: first.emailId },
        options: { singletonKey: first.emailId },
      },
    ]);
  });

  it("creates exactly one row when callers race on one key", async () => {
    const dedupeKey = key("race");
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        queueEmail(i % 2 ? db : otherWorkerDb, recordingQueue(), signIn(dedupeKey)),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.emailId)).size).toBe(1);
    expect(await db.email.count({ where: { dedupeKey } })).toBe(1);
  });

  it("does not enqueue an email that was already sent", async () => {
    const input = signIn(key("sent-then-queued"));
    const { emailId } = await queueEmail(db, recordingQueue(), input);
    await sendQueuedEmail(db, mailer, emailId, FROM);
    const queue = recordingQueue();
    expect(await queueEmail(db, queue, input)).toEqual({ emailId, created: false });
    expect(queue.sent).toEqual([]);
  });
});

describe("rendering", () => {
  it("puts the sign-in URL, its validity and the ignore note in both parts", async () => {
    const { subject, html, text } = await renderEmail({
      kind: "sign-in",
      url: SIGN_IN_URL,
      expiresInMinutes: 30,
      appUrl: APP_URL,
    });
    expect(subject).toBe("Your Kindred sign-in link");
    expect(html).toContain(`href="${SIGN_IN_URL.replaceAll("&", "&amp;")}"`);
    expect(text).toContain(SIGN_IN_URL);
    for (const part of [html, text]) {
      expect(part).toContain("valid for 30 minutes and works once");
      expect(part).toContain("If you did not ask to sign in, you can safely ignore this email");
    }
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it("renders the welcome email with the name and a link into the app", async () => {
    const { subject, html, text } = await renderEmail({
      kind: "welcome",
      name: "Ada <Lovelace>",
      appUrl: APP_URL,
    });
    expect(subject).toBe("Welcome to Kindred");
    expect(html).toContain("Welcome, Ada &lt;Lovelace&gt;.");
    expect(text).toContain("Welcome, Ada <Lovelace>.");
    expect(text).toContain(`${APP_URL}/dashboard`);
  });
});

describe("sendQueuedEmail", () => {
  it("sends once through the emulator, marks SENT, and a second call is a no-op", async () => {
    const emailId = await queued("send-once");
    expect(await sendQueuedEmail(db, mailer, emailId, FROM)).toBe("sent");

    const row = await db.email.findUniqueOrThrow({ where: { id: emailId } });
    const messages = await outboxFor(emailId);
    expect(messages).toHaveLength(1);
    expect(row).toMatchObject({ status: "SENT", attempts: 1, lockedUntil: null, lastError: null });
    expect(row.providerId).toBe(messages[0]?.id);
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(messages[0]).toMatchObject({
      fromAddress: FROM,
      toAddresses: ["member@example.org"],
      subject: "Your Kindred sign-in link",
      html: row.html,
      text: row.text,
    });
    expect(messages[0]?.text).toContain(SIGN_IN_URL);

    expect(await sendQueuedEmail(db, mailer, emailId, FROM)).toBe("already-sent");
    expect(await outboxFor(emailId)).toHaveLength(1);
    expect((await db.email.findUniqueOrThrow({ where: { id: emailId } })).attempts).toBe(1);
  });

  it("lets exactly one of several concurrent workers send", async () => {
    const emailId = await queued("concurrent");
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        sendQueuedEmail(i % 2 ? db : otherWorkerDb, mailer, emailId, FROM),
      ),
    );
    expect(outcomes.filter((o) => o === "sent")).toHaveLength(1);
    expect(outcomes.every((o) => ["sent", "in-progress", "already-sent"].includes(o))).toBe(true);
    expect(await outboxFor(emailId)).toHaveLength(1);
    const row = await db.email.findUniqueOrThrow({ where: { id: emailId } });
    expect(row).toMatchObject({ status: "SENT", attempts: 1 });
  });

  it("does not send twice when the SENT mark was lost after the provider accepted", async () => {
    const emailId = await queued("lost-mark");
    await sendQueuedEmail(db, mailer, emailId, FROM);
    const first = await db.email.findUniqueOrThrow({ where: { id: emailId } });
    // The crash: Resend has the email, but the row never left QUEUED.
    await db.email.update({
      where: { id: emailId },
      data: { status: "QUEUED", providerId: null, sentAt: null },
    });

    expect(await sendQueuedEmail(db, mailer, emailId, FROM)).toBe("sent");
    expect(await outboxFor(emailId)).toHaveLength(1);
    const retried = await db.email.findUniqueOrThrow({ where: { id: emailId } });
    expect(retried).toMatchObject({ status: "SENT", attempts: 2, providerId: first.providerId });
  });

  it("does not send twice when a worker died mid-send holding the lock", async () => {
    const emailId = await queued("dead-worker");
    const row = await db.email.findUniqueOrThrow({ where: { id: emailId } });
    // The dead worker reached Resend, then vanished with the row still SENDING.
    const { id } = await mailer.deliver({
      from: FROM,
      to: row.toAddress,
      subject: row.subject,
      html: row.html,
      text: row.text,
      idempotencyKey: row.dedupeKey,
    });
    await db.$executeRaw`
      UPDATE "Email" SET status = 'SENDING', attempts = 1,
        "lockedUntil" = (now() AT TIME ZONE 'UTC') + interval '1 minute'
      WHERE id = ${emailId}`;
    expect(await sendQueuedEmail(db, mailer, emailId, FROM)).toBe("in-progress");

    await db.$executeRaw`
      UPDATE "Email" SET "lockedUntil" = (now() AT TIME ZONE 'UTC') - interval '1 second'
      WHERE id = ${emailId}`;
    expect(await sendQueuedEmail(db, mailer, emailId, FROM)).toBe("sent");
    expect(await outboxFor(emailId)).toHaveLength(1);
    expect(await db.email.findUniqueOrThrow({ where: { id: emailId } })).toMatchObject({
      status: "SENT",
      attempts: 2,
      providerId: id,
    });
  });

  it("marks FAILED without throwing when Resend rejects the email (422)", async () => {
    const emailId = await queued("invalid-address", "not-an-address");
    expect(await sendQueuedEmail(db, mailer, emailId, FROM)).toBe("failed");
    const row = await db.email.findUniqueOrThrow({ where: { id: emailId } });
    expect(row.status).toBe("FAILED");
    expect(row.lockedUntil).toBeNull();
    expect(row.lastError).toMatch(/422 validation_error.*Invalid `to` field/);
    expect(await outboxFor(emailId)).toHaveLength(0);
  });

  it("is refused by the emulator with any key but the deployment's own (nothing lands)", async () => {
    // What an outsider would do to plant a link in the public mailbox: the old fixed demo key,
    // or the key another deployment derives from its own secret.
    for (const apiKey of [
      "re_demo_outbox",
      emulatorApiKey("another-deployment-secret-0123456789"),
    ]) {
      const outsider = createMailer({ email: { ...env.email, apiKey } });
      const emailId = await queued(`outsider-${apiKey.slice(0, 8)}`);
      expect(await sendQueuedEmail(db, outsider, emailId, FROM)).toBe("failed");
      const row = await db.email.findUniqueOrThrow({ where: { id: emailId } });
      expect(row.lastError).toMatch(/403 invalid_api_key/);
      expect(await outboxFor(emailId)).toHaveLength(0);
    }
    expect(env.email.apiKey).toBe(emulatorApiKey(SECRET));
  });

  it("puts the email back to QUEUED and rethrows on a retryable failure", async () => {
    const limited = await serveFetch(() =>
      Response.json(
        { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests." },
        { status: 429 },
      ),
    );
    try {
      const limitedMailer = createMailer({ email: { ...env.email, baseUrl: limited.url } });
      const emailId = await queued("rate-limited");
      const error = await sendQueuedEmail(db, limitedMailer, emailId, FROM).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({
        retryable: true,
        statusCode: 429,
        code: "rate_limit_exceeded",
      });
      const row = await db.email.findUniqueOrThrow({ where: { id: emailId } });
      expect(row).toMatchObject({ status: "QUEUED", attempts: 1, lockedUntil: null });
      expect(row.lastError).toMatch(/429 rate_limit_exceeded/);

      // The next attempt, once the limit has passed, goes through normally.
      expect(await sendQueuedEmail(db, mailer, emailId, FROM)).toBe("sent");
    } finally {
      await limited.close();
    }
  });

  it("treats an unreachable provider as retryable", async () => {
    const gone = await serveFetch(() => new Response("unused"));
    await gone.close();
    const goneMailer = createMailer({ email: { ...env.email, baseUrl: gone.url } });
    const emailId = await queued("unreachable");
    await expect(sendQueuedEmail(db, goneMailer, emailId, FROM)).rejects.toMatchObject({
      retryable: true,
      statusCode: null,
    });
    expect((await db.email.findUniqueOrThrow({ where: { id: emailId } })).status).toBe("QUEUED");
  });

  it("gives up as FAILED once retryable failures reach the attempt limit", async () => {
    const down = await serveFetch(() =>
      Response.json(
        { statusCode: 503, name: "internal_server_error", message: "Down." },
        { status: 503 },
      ),
    );
    try {
      const downMailer = createMailer({ email: { ...env.email, baseUrl: down.url } });
      const emailId = await queued("give-up");
      await db.email.update({ where: { id: emailId }, data: { attempts: MAX_SEND_ATTEMPTS - 1 } });
      expect(await sendQueuedEmail(db, downMailer, emailId, FROM)).toBe("failed");
      expect(await db.email.findUniqueOrThrow({ where: { id: emailId } })).toMatchObject({
        status: "FAILED",
        attempts: MAX_SEND_ATTEMPTS,
      });
    } finally {
      await down.close();
    }
  });

  it("answers missing for an unknown email", async () => {
    expect(await sendQueuedEmail(db, mailer, "no-such-email", FROM)).toBe("missing");
  });
});

describe("following one email into the demo mailbox", () => {
  it("says waiting until it is sent, then names its own message, not the newest to the address", async () => {
    const to = `visitor-${Date.now()}@example.org`;
    const first = await queued("mine", to);
    const second = await queued("theirs", to);
    expect(await outboxMessageForEmail(db, first)).toEqual({ state: "waiting" });

    await sendQueuedEmail(db, mailer, first, FROM);
    await sendQueuedEmail(db, mailer, second, FROM);
    const mine = await outboxMessageForEmail(db, first);
    const theirs = await outboxMessageForEmail(db, second);
    if (mine.state !== "sent" || theirs.state !== "sent") throw new Error("both were sent");
    expect(mine.messageId).not.toBe(theirs.messageId);
    // The newest message to the address is the other visitor's; each still finds its own.
    const [newest] = await listOutbox(db, { to });
    expect(newest?.id).toBe(theirs.messageId);
    expect((await getOutboxMessage(db, mine.messageId))?.toAddresses).toEqual([to]);
  });

  it("says failed or missing when there is nothing to open", async () => {
    expect(await outboxMessageForEmail(db, "no-such-email")).toEqual({ state: "missing" });
    const emailId = await queued("failed");
    await db.email.update({ where: { id: emailId }, data: { status: "FAILED" } });
    expect(await outboxMessageForEmail(db, emailId)).toEqual({ state: "failed" });
  });
});

describe("jobs", () => {
  const ctx = (queue: Queue) => ({ db, env, queue, jobId: "job-1", retryCount: 0 });

  it("email.send delivers the email with the configured sender", async () => {
    const emailId = await queued("job");
    await sendEmailJob.handler({ emailId }, ctx(recordingQueue()));
    const row = await db.email.findUniqueOrThrow({ where: { id: emailId } });
    expect(row.status).toBe("SENT");
    // Sent through the batch endpoint: the provider id names the stored message.
    const message = await db.outboxMessage.findUnique({ where: { id: row.providerId ?? "" } });
    expect(message?.fromAddress).toBe(FROM);
    expect(message?.toAddresses).toEqual([row.toAddress]);
  });

  it("email.sweep re-enqueues stale QUEUED and lock-expired SENDING emails only", async () => {
    const [staleQueued, freshQueued, expiredSending, liveSending, oldSent] = await Promise.all(
      ["stale-q", "fresh-q", "expired-s", "live-s", "old-sent"].map((label) => queued(label)),
    );
    await db.$executeRaw`UPDATE "Email" SET "updatedAt" = (now() AT TIME ZONE 'UTC') - interval '5 minutes'
      WHERE id IN (${staleQueued}, ${oldSent})`;
    await db.$executeRaw`UPDATE "Email" SET status = 'SENT' WHERE id = ${oldSent}`;
    await db.$executeRaw`UPDATE "Email" SET status = 'SENDING',
      "lockedUntil" = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE id = ${expiredSending}`;
    await db.$executeRaw`UPDATE "Email" SET status = 'SENDING',
      "lockedUntil" = (now() AT TIME ZONE 'UTC') + interval '2 minutes' WHERE id = ${liveSending}`;

    const queue = recordingQueue();
    await sweepEmailsJob.handler({}, ctx(queue));
    const swept = queue.sent.map((s) => (s.payload as { emailId: string }).emailId);
    expect(swept).toContain(staleQueued);
    expect(swept).toContain(expiredSending);
    for (const id of [freshQueued, liveSending, oldSent]) expect(swept).not.toContain(id);
    for (const s of queue.sent) {
      expect(s.job).toBe("email.send");
      expect(s.options?.singletonKey).toBe((s.payload as { emailId: string }).emailId);
    }
    expect(sweepEmailsJob.cron?.expression).toBe("* * * * *");
  });
});

describe("outbox reads", () => {
  it("lists newest first, filters by recipient, and opens one message", async () => {
    const store = prismaOutboxStore(db);
    const base = { from: FROM, cc: [], bcc: [], replyTo: [], html: null, headers: {}, tags: [] };
    const older = await store.save({
      ...base,
      to: ["Reader <Reader@Example.org>"],
      subject: "older",
      text: "first",
      idempotencyKey: null,
    });
    const newer = await store.save({
      ...base,
      to: ["reader@example.org"],
      subject: "newer",
      text: "second  line\n\nmore",
      idempotencyKey: null,
    });
    await store.save({
      ...base,
      to: ["someone@else.org"],
      subject: "x",
      text: "x",
      idempotencyKey: null,
    });
    await db.$executeRaw`UPDATE "OutboxMessage" SET "createdAt" = "createdAt" - interval '1 minute'
      WHERE id = ${older.id}`;

    const mine = await listOutbox(db, { to: "READER@example.org" });
    expect(mine.map((m) => m.id)).toEqual([newer.id, older.id]);
    expect(mine[0]).toMatchObject({ subject: "newer", preview: "second line more" });
    expect(await listOutbox(db, { to: "%@example.org" })).toEqual([]);
    expect(await listOutbox(db, { limit: 1 })).toHaveLength(1);

    expect(await getOutboxMessage(db, newer.id)).toMatchObject({ subject: "newer" });
    expect(await getOutboxMessage(db, "missing")).toBeNull();
  });
});
