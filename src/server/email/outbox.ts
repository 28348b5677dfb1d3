import type { OutboxMessage } from "@/generated/prisma/client";
import type { Db } from "../db";
import type { EmulatedEmail, ResendEmulatorStore, StoredEmail } from "../emulators/resend";

/**
 * The demo outbox: the Resend emulator's store, kept in `OutboxMessage`, and the reads behind
 * the mailbox page.
 */

function toStored(row: OutboxMessage): StoredEmail {
  return {
    id: row.id,
    from: row.fromAddress,
    to: row.toAddresses,
    // The table has no cc/bcc/reply-to columns; `save` keeps them as headers instead.
    cc: [],
    bcc: [],
    replyTo: [],
    subject: row.subject,
    html: row.html,
    text: row.text,
    headers: (row.headers ?? {}) as Record<string, string>,
    tags: (row.tags ?? []) as { name: string; value: string }[],
    idempotencyKey: row.idempotencyKey,
    createdAt: row.createdAt,
  };
}

// Cc and Reply-To are ordinary headers of a delivered message, so the mailbox can show them
// without extra columns; Bcc is kept the same way because the outbox is the sender's view.
function headersOf(message: EmulatedEmail): Record<string, string> {
  const headers = { ...message.headers };
  if (message.cc.length) headers.Cc = message.cc.join(", ");
  if (message.bcc.length) headers.Bcc = message.bcc.join(", ");
  if (message.replyTo.length) headers["Reply-To"] = message.replyTo.join(", ");
  return headers;
}

export function prismaOutboxStore(db: Db): ResendEmulatorStore {
  return {
    async save(message) {
      // ON CONFLICT DO NOTHING on the unique key: of two concurrent saves with one key, exactly
      // one row is written and both callers get its id.
      const inserted = await db.outboxMessage.createManyAndReturn({
        data: [
          {
            idempotencyKey: message.idempotencyKey,
            fromAddress: message.from,
            toAddresses: message.to,
            subject: message.subject,
            html: message.html,
            text: message.text,
            headers: headersOf(message),
            tags: message.tags,
          },
        ],
        skipDuplicates: true,
        select: { id: true },
      });
      if (inserted[0]) return inserted[0];
      const existing = message.idempotencyKey
        ? await db.outboxMessage.findUnique({
            where: { idempotencyKey: message.idempotencyKey },
            select: { id: true },
          })
        : null;
      if (!existing) throw new Error("Outbox insert was skipped but no row holds its key.");
      return existing;
    },
    async findByIdempotencyKey(key) {
      const row = await db.outboxMessage.findUnique({ where: { idempotencyKey: key } });
      return row ? toStored(row) : null;
    },
    async get(id) {
      const row = await db.outboxMessage.findUnique({ where: { id } });
      return row ? toStored(row) : null;
    },
  };
}

export type OutboxSummary = Pick<
  OutboxMessage,
  "id" | "fromAddress" | "toAddresses" | "subject" | "createdAt"
> & { preview: string };

const PREVIEW_CHARS = 140;

/**
 * Newest first. `to` matches a recipient case-insensitively, written either bare or as
 * `Name <address>`. Bodies are left out (a page of 50 HTML emails is heavy); open one with
 * `getOutboxMessage`.
 */
export async function listOutbox(
  db: Db,
  options: { to?: string; limit?: number } = {},
): Promise<OutboxSummary[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 200);
  const to = options.to?.trim().toLowerCase();
  let ids: string[] | undefined;
  if (to) {
    // `%` and `_` typed into the search box are literal characters, not wildcards.
    const named = `%<${to.replace(/[\\%_]/g, "\\$&")}>`;
    // Prisma's `has` is exact; recipients may carry a display name, so match in SQL.
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM "OutboxMessage"
      WHERE EXISTS (
        SELECT 1 FROM unnest("toAddresses") AS a
        WHERE lower(a) = ${to} OR lower(a) LIKE ${named}
      )
      ORDER BY "createdAt" DESC, id DESC
      LIMIT ${limit}`;
    ids = rows.map((r) => r.id);
  }
  const rows = await db.outboxMessage.findMany({
    where: ids ? { id: { in: ids } } : undefined,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      fromAddress: true,
      toAddresses: true,
      subject: true,
      createdAt: true,
      text: true,
    },
  });
  return rows.map(({ text, ...row }) => ({
    ...row,
    preview: (text ?? "").replace(/\s+/g, " ").trim().slice(0, PREVIEW_CHARS),
  }));
}

export function getOutboxMessage(db: Db, id: string): Promise<OutboxMessage | null> {
  return db.outboxMessage.findUnique({ where: { id } });
}

/**
 * What became of one queued email in the outbox: the mailbox follows a demo visitor's own
 * sign-in email by its id, so two visitors asking for the same account each open their own link.
 */
export async function outboxMessageForEmail(
  db: Db,
  emailId: string,
): Promise<{ state: "waiting" | "failed" | "missing" } | { state: "sent"; messageId: string }> {
  const email = await db.email.findUnique({
    where: { id: emailId },
    select: { status: true, providerId: true },
  });
  if (!email) return { state: "missing" };
  if (email.status === "FAILED") return { state: "failed" };
  if (email.status === "SENT" && email.providerId) {
    return { state: "sent", messageId: email.providerId };
  }
  return { state: "waiting" };
}
