import { minorPerMajor } from "@/lib/money";
import type { SignedInUser } from "../auth/session";
import { csv } from "../cohorts/csv";
import type { Db } from "../db";

/**
 * The money as a spreadsheet: one row per movement (an invoice, a one-time purchase, a refund),
 * oldest first. Each kind is read in keyset batches by its indexed date and the three are merged
 * by date, so the export holds a batch of each in memory whatever the history's size, and the
 * response streams as it is read.
 */

export const EXPORT_HEADER = [
  "date",
  "kind",
  "reference",
  "member name",
  "member email",
  "plan",
  "amount",
  "currency",
  "status",
] as const;

export type ExportRow = {
  at: Date;
  /** Breaks ties between movements at the same instant, so the order is stable. */
  key: string;
  cells: (string | number)[];
};

const BATCH = 500;

/** Minor units as a plain decimal a spreadsheet reads as a number ("12.50", "1200"). */
export function majorUnits(amount: number, currency: string): string {
  const per = minorPerMajor(currency);
  if (per === 1) return String(amount);
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / per)}.${String(abs % per).padStart(2, "0")}`;
}

type Member = { name: string | null; email: string } | null | undefined;

function row(
  at: Date,
  kind: string,
  reference: string,
  member: Member,
  plan: string | null | undefined,
  amount: number,
  currency: string,
  status: string,
): ExportRow {
  return {
    at,
    key: `${kind}:${reference}`,
    cells: [
      at.toISOString(),
      kind,
      reference,
      member?.name ?? "",
      member?.email ?? "",
      plan ?? "",
      majorUnits(amount, currency),
      currency.toUpperCase(),
      status,
    ],
  };
}

type Last = { at: Date; id: string } | null;

/** Keyset pages of `batch` rows in (date, id) order: each read starts after the last row seen. */
async function* batches<T extends { id: string }>(
  read: (after: Last) => Promise<T[]>,
  dateOf: (row: T) => Date,
  batch: number,
): AsyncGenerator<T[]> {
  let last: Last = null;
  for (;;) {
    const rows = await read(last);
    if (rows.length) yield rows;
    if (rows.length < batch) return;
    const end = rows[rows.length - 1]!;
    last = { at: dateOf(end), id: end.id };
  }
}

const who = { select: { name: true, email: true } } as const;

async function* invoices(db: Db, batch: number): AsyncGenerator<ExportRow> {
  const read = (last: Last) =>
    db.invoice.findMany({
      where: last
        ? { OR: [{ issuedAt: { gt: last.at } }, { issuedAt: last.at, id: { gt: last.id } }] }
        : {},
      orderBy: [{ issuedAt: "asc" }, { id: "asc" }],
      take: batch,
      select: {
        id: true,
        subscriptionId: true,
        status: true,
        amountDue: true,
        amountPaid: true,
        currency: true,
        issuedAt: true,
        user: who,
      },
    });
  for await (const rows of batches(read, (r) => r.issuedAt, batch)) {
    // Invoices name their subscription, not a plan: one read per batch finds the plans.
    const subscriptionIds = [
      ...new Set(rows.flatMap((r) => (r.subscriptionId ? [r.subscriptionId] : []))),
    ];
    const subscriptions = subscriptionIds.length
      ? await db.subscription.findMany({
          where: { id: { in: subscriptionIds } },
          select: { id: true, plan: { select: { name: true } } },
        })
      : [];
    const planOf = new Map(subscriptions.map((s) => [s.id, s.plan?.name ?? null]));
    for (const r of rows) {
      yield row(
        r.issuedAt,
        "invoice",
        r.id,
        r.user,
        r.subscriptionId ? planOf.get(r.subscriptionId) : null,
        r.status === "paid" ? r.amountPaid : r.amountDue,
        r.currency,
        r.status,
      );
    }
  }
}

export function purchaseStatus(p: {
  amount: number;
  amountRefunded: number;
  disputed: boolean;
}): string {
  if (p.disputed) return "disputed";
  if (p.amountRefunded >= p.amount) return "refunded";
  if (p.amountRefunded > 0) return "partly refunded";
  return "paid";
}

async function* purchases(db: Db, batch: number): AsyncGenerator<ExportRow> {
  const read = (last: Last) =>
    db.purchase.findMany({
      where: last
        ? { OR: [{ paidAt: { gt: last.at } }, { paidAt: last.at, id: { gt: last.id } }] }
        : {},
      orderBy: [{ paidAt: "asc" }, { id: "asc" }],
      take: batch,
      select: {
        id: true,
        amount: true,
        amountRefunded: true,
        disputed: true,
        currency: true,
        paidAt: true,
        plan: { select: { name: true } },
        user: who,
      },
    });
  for await (const rows of batches(read, (r) => r.paidAt, batch)) {
    for (const r of rows) {
      const status = purchaseStatus(r);
      yield row(r.paidAt, "purchase", r.id, r.user, r.plan.name, r.amount, r.currency, status);
    }
  }
}

async function* refunds(db: Db, batch: number): AsyncGenerator<ExportRow> {
  const read = (last: Last) =>
    db.refund.findMany({
      where: last
        ? { OR: [{ createdAt: { gt: last.at } }, { createdAt: last.at, id: { gt: last.id } }] }
        : {},
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: batch,
      select: {
        id: true,
        chargeId: true,
        purchaseId: true,
        amount: true,
        currency: true,
        createdAt: true,
      },
    });
  for await (const rows of batches(read, (r) => r.createdAt, batch)) {
    // A refund names its purchase (or only its charge): one read per batch finds who paid.
    const purchaseIds = rows.flatMap((r) => (r.purchaseId ? [r.purchaseId] : []));
    const chargeIds = rows.flatMap((r) => (r.purchaseId ? [] : [r.chargeId]));
    const paid = await db.purchase.findMany({
      where: { OR: [{ id: { in: purchaseIds } }, { chargeId: { in: chargeIds } }] },
      select: { id: true, chargeId: true, plan: { select: { name: true } }, user: who },
    });
    const byId = new Map(paid.map((p) => [p.id, p]));
    const byCharge = new Map(paid.flatMap((p) => (p.chargeId ? [[p.chargeId, p] as const] : [])));
    for (const r of rows) {
      const purchase =
        (r.purchaseId ? byId.get(r.purchaseId) : undefined) ?? byCharge.get(r.chargeId);
      yield row(
        r.createdAt,
        "refund",
        r.id,
        purchase?.user,
        purchase?.plan.name,
        r.amount,
        r.currency,
        "refunded",
      );
    }
  }
}

/** Merges sources that are each in (date, key) order into one in that order. */
async function* merge(sources: AsyncGenerator<ExportRow>[]): AsyncGenerator<ExportRow> {
  const heads = await Promise.all(sources.map((s) => s.next()));
  for (;;) {
    let pick = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (head.done) continue;
      const best = pick >= 0 ? heads[pick]! : null;
      if (
        !best ||
        best.done ||
        head.value.at < best.value.at ||
        (head.value.at.getTime() === best.value.at.getTime() && head.value.key < best.value.key)
      ) {
        pick = i;
      }
    }
    if (pick < 0) return;
    const chosen = heads[pick]!;
    if (chosen.done) return;
    yield chosen.value;
    heads[pick] = await sources[pick]!.next();
  }
}

/** Every movement, oldest first, as CSV lines (the header first), a batch of rows at a time. */
export async function* billingCsv(db: Db, batch = BATCH): AsyncGenerator<string> {
  yield csv([[...EXPORT_HEADER]]);
  let lines: (string | number)[][] = [];
  for await (const r of merge([invoices(db, batch), purchases(db, batch), refunds(db, batch)])) {
    lines.push(r.cells);
    if (lines.length >= batch) {
      yield csv(lines);
      lines = [];
    }
  }
  if (lines.length) yield csv(lines);
}

const text = (status: number, message: string) =>
  new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

/** GET /api/admin/billing/export: the CSV for admins, streamed. */
export function exportBilling(db: Db, user: SignedInUser | null, now = new Date()): Response {
  if (!user) return text(401, "Please sign in.");
  if (user.role !== "ADMIN") return text(403, "This is for admins.");
  const lines = billingCsv(db);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error("[billing] export failed", error);
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="kindred-billing-${now.toISOString().slice(0, 10)}.csv"`,
      "cache-control": "private, no-store",
    },
  });
}
