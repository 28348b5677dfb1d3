import { createHmac, timingSafeEqual } from "node:crypto";
import { strToU8, zipSync } from "fflate";
import { z } from "zod";
import type { AccountExport } from "@/generated/prisma/client";
import { formatDate } from "@/lib/format-date";
import { formatSize } from "@/lib/format-size";
import type { Db } from "../db";
import { queueEmail } from "../email/service";
import type { Env } from "../env";
import { DomainError } from "../errors";
import { defineJob } from "../jobs/define";
import type { Queue } from "../jobs/queue";
import { buildJournalExport, journalMarkdown } from "../journal/export";
import { exportedTables } from "./export-tables";
import { INVENTORY } from "./inventory";

/**
 * "Export all my data" (issue 12): the member asks, the `privacy.export` job builds one ZIP of
 * every table's rows that are theirs (export-tables.ts) plus their journal as Markdown, keeps it
 * in the row (any instance can serve it), emails a link once, and the retention job deletes it
 * EXPORT_DAYS after it was ready. The link names the export under an HMAC of the deployment's
 * secret, and the download also needs the owner's session: a forwarded email opens nothing.
 */
export const EXPORT_DAYS = 7;
/** Exports a member may ask for in an hour (each one reads everything they have). */
export const EXPORTS_PER_HOUR = 3;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A queued or running export older than this is taken as lost: a new request starts afresh. */
const STUCK_MS = HOUR_MS;
/** Runs of the job before an export is given up as FAILED (pg-boss retries the rest). */
export const MAX_ATTEMPTS = 3;

// ---- The signed link ---------------------------------------------------------------------

const FILE = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{32})$/;

function mac(secret: string, id: string): string {
  return createHmac("sha256", secret)
    .update(`kindred:account-export:${id}`)
    .digest("base64url")
    .slice(0, 32);
}

export function exportFileName(secret: string, id: string): string {
  return `${id}.${mac(secret, id)}`;
}

/** The export's id when `file` is a link Kindred made, else null (never throws). */
export function readExportFileName(secret: string, file: unknown): string | null {
  if (typeof file !== "string" || file.length > 100) return null;
  const match = FILE.exec(file);
  if (!match) return null;
  const [, id, given] = match as unknown as [string, string, string];
  const expected = Buffer.from(mac(secret, id));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? id : null;
}

export function exportHref(secret: string, id: string): string {
  return `/api/export/account/${exportFileName(secret, id)}`;
}

// ---- Asking, and reading the state ---------------------------------------------------------

export type ExportState = {
  id: string;
  status: AccountExport["status"];
  /** 0–100. */
  percent: number;
  size: number | null;
  createdAt: Date;
  readyAt: Date | null;
  expiresAt: Date | null;
  /** The download, while it is ready and not yet expired. */
  href: string | null;
  expired: boolean;
};

const STATE_FIELDS = {
  id: true,
  status: true,
  done: true,
  total: true,
  size: true,
  createdAt: true,
  readyAt: true,
  expiresAt: true,
} as const;

type StateRow = Pick<AccountExport, keyof typeof STATE_FIELDS>;

function stateOf(env: Env, row: StateRow, now: Date): ExportState {
  // A worker that died on the last try leaves the row as it was: past STUCK_MS it has failed.
  const stuck =
    (row.status === "QUEUED" || row.status === "RUNNING") &&
    row.createdAt.getTime() <= now.getTime() - STUCK_MS;
  if (stuck) row = { ...row, status: "FAILED" };
  const expired = row.status === "READY" && !!row.expiresAt && row.expiresAt <= now;
  const percent =
    row.status === "READY"
      ? 100
      : row.total > 0
        ? Math.min(99, Math.floor((row.done / row.total) * 100))
        : 0;
  return {
    id: row.id,
    status: row.status,
    percent,
    size: row.size,
    createdAt: row.createdAt,
    readyAt: row.readyAt,
    expiresAt: row.expiresAt,
    href: row.status === "READY" && !expired ? exportHref(env.authSecret, row.id) : null,
    expired,
  };
}

/** The member's latest export, or null when they never asked (or it was deleted). */
export async function exportStatus(
  db: Db,
  env: Env,
  userId: string,
  now = new Date(),
): Promise<ExportState | null> {
  const row = await db.accountExport.findFirst({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: STATE_FIELDS,
  });
  return row ? stateOf(env, row, now) : null;
}

/**
 * Starts an export, or answers the one already on its way (a double click, two tabs). At most
 * EXPORTS_PER_HOUR new ones an hour, counted from the exports themselves under a lock on the
 * member, so two requests at once cannot both slip under the limit or both start one.
 */
export async function requestExport(
  deps: { db: Db; env: Env; queue: Queue },
  userId: string,
  now = new Date(),
): Promise<ExportState> {
  const { db, env, queue } = deps;
  const row = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`account-export:${userId}`}))`;
    const active = await tx.accountExport.findFirst({
      where: {
        userId,
        status: { in: ["QUEUED", "RUNNING"] },
        createdAt: { gt: new Date(now.getTime() - STUCK_MS) },
      },
      orderBy: { createdAt: "desc" },
      select: STATE_FIELDS,
    });
    if (active) return active;
    const recent = await tx.accountExport.findMany({
      where: { userId, createdAt: { gt: new Date(now.getTime() - HOUR_MS) } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    if (recent.length >= EXPORTS_PER_HOUR) {
      const wait = recent[0]!.createdAt.getTime() + HOUR_MS - now.getTime();
      const minutes = Math.max(1, Math.ceil(wait / 60_000));
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `You asked for ${EXPORTS_PER_HOUR} exports in the last hour. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      );
    }
    return tx.accountExport.create({
      // Until it is ready, an export expires after a day, so one that never ran is still removed.
      data: { userId, createdAt: now, expiresAt: new Date(now.getTime() + DAY_MS) },
      select: STATE_FIELDS,
    });
  });
  // Sent again for an active one too: a crash between the insert and the send loses nothing.
  await queue.send(accountExportJob, { exportId: row.id }, { singletonKey: row.id });
  return stateOf(env, row, now);
}

// ---- Building the ZIP ----------------------------------------------------------------------

/** JSON that survives every column type: big integers as strings, raw bytes left out. */
function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) => {
      if (typeof v === "bigint") return v.toString();
      if (v instanceof Uint8Array) return undefined;
      return v;
    },
    2,
  );
}

const README = (exportedAt: string, tables: string[]) =>
  [
    "# Your Kindred data",
    "",
    `Exported on ${exportedAt.slice(0, 10)}: everything Kindred holds about you.`,
    "",
    "- `journal.md`: your journal, people, commitments and practices, to read.",
    "- `journal.json`: the same, for another program to read.",
    "- `tables/<name>.json`: every row that is yours, table by table, as Kindred stores it.",
    "",
    "Secrets are left out: sign-in tokens, and the hashes of links sent to you.",
    "",
    "## Tables",
    "",
    ...tables.map((t) => `- \`${t}\`: ${INVENTORY[t as keyof typeof INVENTORY].holds}`),
    "",
  ].join("\n");

export type ExportProgress = (done: number, total: number) => Promise<void>;

/**
 * The ZIP's files for one member: a fixed number of queries per table whatever the size, and
 * only rows that are the member's. `progress` hears after each part.
 */
export async function buildExportZip(
  db: Db,
  userId: string,
  progress: ExportProgress = async () => {},
  now = new Date(),
): Promise<Uint8Array> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) throw new DomainError("NOT_FOUND", "No such account.");
  const member = { userId, email: user.email };
  const tables = exportedTables();
  const total = tables.length + 1;
  const files: Record<string, Uint8Array> = {};

  const journal = await buildJournalExport(db, userId, now);
  files["journal.json"] = strToU8(toJson(journal));
  files["journal.md"] = strToU8(journalMarkdown(journal));
  let done = 1;
  await progress(done, total);

  for (const [name, rows] of tables) {
    const found = await rows(db, member);
    files[`tables/${name}.json`] = strToU8(
      toJson({ table: name, holds: INVENTORY[name].holds, rows: found }),
    );
    done += 1;
    await progress(done, total);
  }
  files["README.md"] = strToU8(
    README(
      now.toISOString(),
      tables.map(([name]) => name),
    ),
  );
  // Level 6: JSON and Markdown shrink well (npm run bench:export times a 10,000-entry journal).
  return zipSync(files, { level: 6, mtime: now });
}

/**
 * The job: builds the ZIP (again, on a retry: the result is the same), marks it ready, then
 * queues the email under the export's own dedupe key, so a retry after the email was queued
 * sends nothing more.
 */
export async function runExport(
  deps: { db: Db; env: Env; queue: Queue },
  exportId: string,
  clock: () => Date = () => new Date(),
): Promise<void> {
  const { db, env, queue } = deps;
  const found = await db.accountExport.findUnique({
    where: { id: exportId },
    select: { id: true, status: true, userId: true, readyAt: true, expiresAt: true, size: true },
  });
  // Deleted meanwhile (expired, or the account went): nothing to do.
  if (!found) return;
  let ready = found;
  if (found.status !== "READY") {
    const { attempts } = await db.accountExport.update({
      where: { id: exportId },
      data: {
        status: "RUNNING",
        startedAt: clock(),
        done: 0,
        error: null,
        attempts: { increment: 1 },
      },
      select: { attempts: true },
    });
    try {
      const zip = await buildExportZip(
        db,
        found.userId,
        (done, total) =>
          db.accountExport
            .update({ where: { id: exportId }, data: { done, total } })
            .then(() => undefined),
        clock(),
      );
      const readyAt = clock();
      ready = await db.accountExport.update({
        where: { id: exportId },
        data: {
          status: "READY",
          zip: Buffer.from(zip),
          size: zip.byteLength,
          readyAt,
          expiresAt: new Date(readyAt.getTime() + EXPORT_DAYS * DAY_MS),
        },
        select: {
          id: true,
          status: true,
          userId: true,
          readyAt: true,
          expiresAt: true,
          size: true,
        },
      });
    } catch (error) {
      if (attempts >= MAX_ATTEMPTS) {
        await db.accountExport.updateMany({
          where: { id: exportId },
          data: {
            status: "FAILED",
            error: error instanceof Error ? error.message.slice(0, 500) : "Failed",
            expiresAt: new Date(clock().getTime() + DAY_MS),
          },
        });
      }
      throw error;
    }
  }
  await announce({ db, env, queue }, ready);
}

async function announce(
  deps: { db: Db; env: Env; queue: Queue },
  row: { id: string; userId: string; expiresAt: Date | null; size: number | null },
) {
  const user = await deps.db.user.findUnique({
    where: { id: row.userId },
    select: { email: true, timeZone: true },
  });
  if (!user || !row.expiresAt) return;
  const appUrl = deps.env.appUrl.replace(/\/$/, "");
  await queueEmail(deps.db, deps.queue, {
    dedupeKey: `account-export:${row.id}`,
    category: "account",
    to: user.email,
    template: {
      kind: "account-export-ready",
      url: `${appUrl}${exportHref(deps.env.authSecret, row.id)}`,
      settingsUrl: `${appUrl}/settings#data-heading`,
      expiresOn: formatDate(row.expiresAt, user.timeZone, "long"),
      sizeLabel: formatSize(row.size ?? 0),
      appUrl,
    },
  });
}

export const accountExportJob = defineJob({
  name: "privacy.export",
  payload: z.object({ exportId: z.string().min(1).max(64) }),
  retry: { limit: MAX_ATTEMPTS - 1, delaySeconds: 30, backoff: true },
  expireInSeconds: 15 * 60,
  async handler({ exportId }, { db, env, queue }) {
    await runExport({ db, env, queue }, exportId);
  },
});

// ---- The download --------------------------------------------------------------------------

const notFound = () =>
  Response.json(
    { error: "No such export." },
    { status: 404, headers: { "Cache-Control": "no-store" } },
  );

/**
 * GET /api/export/account/<id>.<signature>: 401 signed out; 404 for a link Kindred did not make
 * or someone else's export (the same answer, so ids cannot be probed); 410 once expired; 409
 * while it is being made; else the ZIP as an attachment that is never cached.
 */
export async function accountExportResponse(
  db: Db,
  env: Env,
  userId: string | null,
  file: string,
  now = new Date(),
): Promise<Response> {
  if (!userId) {
    return Response.json(
      { error: "Please sign in to download your data." },
      { status: 401, headers: { "Cache-Control": "no-store" } },
    );
  }
  const id = readExportFileName(env.authSecret, file);
  if (!id) return notFound();
  const row = await db.accountExport.findUnique({
    where: { id },
    select: { userId: true, status: true, expiresAt: true, readyAt: true },
  });
  if (!row || row.userId !== userId) return notFound();
  if (row.status === "READY" && row.expiresAt && row.expiresAt <= now) {
    return Response.json(
      { error: "This export has expired. Ask for a new one in your settings." },
      { status: 410, headers: { "Cache-Control": "no-store" } },
    );
  }
  if (row.status !== "READY") {
    return Response.json(
      {
        error:
          row.status === "FAILED"
            ? "This export could not be made. Ask for a new one in your settings."
            : "This export is not ready yet.",
      },
      { status: 409, headers: { "Cache-Control": "no-store" } },
    );
  }
  const { zip } = await db.accountExport.findUniqueOrThrow({
    where: { id },
    select: { zip: true },
  });
  if (!zip) return notFound();
  const day = (row.readyAt ?? now).toISOString().slice(0, 10);
  return new Response(new Uint8Array(zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(zip.byteLength),
      "Content-Disposition": `attachment; filename="kindred-export-${day}.zip"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
