import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { type AnyObject, type EmuSubscription, subscriptionDueAt } from "./objects";

/**
 * Where the emulator keeps its state: PostgreSQL, because several web processes (and the
 * worker) share one emulated account. Every write of an API call or page action happens in one
 * transaction, objects that change are read with a row lock first, and webhook deliveries are
 * claimed with SKIP LOCKED, so concurrent requests and processes never lose an update.
 */
/** Any Stripe object: what the store needs of it. */
export type Stored = { id: string; object: string };

export type ListQuery = {
  type: string;
  customer?: string;
  /** JSON containment on the object (`data @> …`): `{ product: "prod_1" }`. */
  contains?: Record<string, unknown>;
  /** Top-level string fields of the object that must (not) be one of the values. */
  fieldIn?: Record<string, readonly string[]>;
  fieldNotIn?: Record<string, readonly string[]>;
  fieldPrefix?: Record<string, string>;
  limit: number;
  startingAfter?: string;
};

export type ListResult<T> = { data: T[]; hasMore: boolean };

export interface StripeEmuReader {
  get<T extends Stored = AnyObject>(id: string): Promise<T | null>;
  /** Newest first, a page at a time; `startingAfter` must be an id of the same type. */
  list<T extends Stored = AnyObject>(query: ListQuery): Promise<ListResult<T>>;
  clockOffset(): Promise<number>;
}

export type IdempotentRecord = { fingerprint: string; status: number | null; response: unknown };

export interface StripeEmuTx extends StripeEmuReader {
  /** Reads and row-locks an object until the transaction ends; null if absent. */
  lock<T extends Stored = AnyObject>(id: string): Promise<T | null>;
  insert(object: Stored): Promise<void>;
  update(object: Stored): Promise<void>;
  /**
   * Claims an idempotency key for this transaction: null when it is new (a concurrent request
   * with the same key waits until this one commits or rolls back), else the earlier record.
   */
  claimIdempotencyKey(key: string, fingerprint: string): Promise<IdempotentRecord | null>;
  saveIdempotentResponse(key: string, status: number, response: unknown): Promise<void>;
  enqueueDelivery(eventId: string): Promise<void>;
  /** Adds to the clock's offset atomically; returns the new offset in seconds. */
  advanceClock(seconds: number): Promise<number>;
}

export type ClaimedDelivery = { id: string; eventId: string; attempt: number; event: unknown };

export type DeliveryResult = {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** Null: no further attempt (delivered, or given up). */
  retryInSeconds: number | null;
};

export interface StripeEmulatorStore extends StripeEmuReader {
  transaction<T>(fn: (tx: StripeEmuTx) => Promise<T>): Promise<T>;
  /** Subscriptions whose next piece of work is due at or before `now` (emulated unix time). */
  dueSubscriptions(now: number, limit: number): Promise<string[]>;
  /**
   * Subscriptions with work ahead and when their next renewal, trial end, retry or pause end
   * falls, soonest first (the clock page lists them; "advance to the next renewal" uses it).
   */
  upcoming(limit: number): Promise<{ dueAt: number; subscription: EmuSubscription }[]>;
  /** Claims due deliveries (SKIP LOCKED), pushing each one's next attempt `leaseSeconds` ahead. */
  claimDeliveries(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]>;
  finishDelivery(id: string, result: DeliveryResult): Promise<void>;
  deliveries(eventId: string): Promise<
    {
      attempts: number;
      deliveredAt: Date | null;
      nextAttemptAt: Date | null;
      lastStatus: number | null;
      lastError: string | null;
    }[]
  >;
  /** Stripe keeps idempotent responses for 24 hours. */
  pruneIdempotency(olderThanSeconds: number): Promise<void>;
}

type Client = Db | Prisma.TransactionClient;

// Timestamps are stored as UTC without a zone (Prisma's way); SQL compares against UTC too,
// whatever the session's TimeZone is.

function customerOf(object: Stored): string | null {
  if (object.object === "customer") return object.id;
  const customer = (object as AnyObject).customer;
  return typeof customer === "string" ? customer : null;
}

function dueAtOf(object: Stored): Date | null {
  if (object.object !== "subscription") return null;
  const due = subscriptionDueAt(object as unknown as EmuSubscription);
  return due === null ? null : new Date(due * 1000);
}

const asJson = (value: unknown) => value as Prisma.InputJsonValue;

function reader(client: Client): StripeEmuReader {
  return {
    async get<T extends Stored>(id: string) {
      const row = await client.stripeEmuObject.findUnique({
        where: { id },
        select: { data: true },
      });
      return (row?.data as T | undefined) ?? null;
    },

    async list<T extends Stored>(query: ListQuery): Promise<ListResult<T>> {
      const where: Prisma.Sql[] = [Prisma.sql`"type" = ${query.type}`];
      if (query.customer !== undefined) where.push(Prisma.sql`"customer" = ${query.customer}`);
      if (query.contains) {
        where.push(Prisma.sql`"data" @> ${JSON.stringify(query.contains)}::jsonb`);
      }
      for (const [field, values] of Object.entries(query.fieldIn ?? {})) {
        where.push(
          values.length
            ? Prisma.sql`"data"->>${field} IN (${Prisma.join([...values])})`
            : Prisma.sql`FALSE`,
        );
      }
      for (const [field, values] of Object.entries(query.fieldNotIn ?? {})) {
        if (values.length) {
          where.push(Prisma.sql`"data"->>${field} NOT IN (${Prisma.join([...values])})`);
        }
      }
      for (const [field, prefix] of Object.entries(query.fieldPrefix ?? {})) {
        where.push(Prisma.sql`starts_with("data"->>${field}, ${prefix})`);
      }
      if (query.startingAfter !== undefined) {
        where.push(
          Prisma.sql`"seq" < (SELECT "seq" FROM "StripeEmuObject" WHERE "id" = ${query.startingAfter})`,
        );
      }
      const rows = await client.$queryRaw<{ data: T }[]>`
        SELECT "data" FROM "StripeEmuObject"
        WHERE ${Prisma.join(where, " AND ")}
        ORDER BY "seq" DESC
        LIMIT ${query.limit + 1}`;
      return {
        data: rows.slice(0, query.limit).map((r) => r.data),
        hasMore: rows.length > query.limit,
      };
    },

    async clockOffset() {
      const row = await client.stripeEmuClock.findUnique({ where: { id: 1 } });
      return row?.offsetSeconds ?? 0;
    },
  };
}

function transactional(tx: Prisma.TransactionClient): StripeEmuTx {
  return {
    ...reader(tx),

    async lock<T extends Stored>(id: string) {
      const rows = await tx.$queryRaw<{ data: T }[]>`
        SELECT "data" FROM "StripeEmuObject" WHERE "id" = ${id} FOR UPDATE`;
      return rows[0]?.data ?? null;
    },

    async insert(object) {
      await tx.stripeEmuObject.create({
        data: {
          id: object.id,
          type: object.object,
          customer: customerOf(object),
          dueAt: dueAtOf(object),
          data: asJson(object),
        },
      });
    },

    async update(object) {
      await tx.stripeEmuObject.update({
        where: { id: object.id },
        data: { customer: customerOf(object), dueAt: dueAtOf(object), data: asJson(object) },
      });
    },

    async claimIdempotencyKey(key, fingerprint) {
      const inserted = await tx.$queryRaw<{ key: string }[]>`
        INSERT INTO "StripeEmuIdempotency" ("key", "fingerprint", "createdAt")
        VALUES (${key}, ${fingerprint}, (now() AT TIME ZONE 'UTC'))
        ON CONFLICT ("key") DO NOTHING
        RETURNING "key"`;
      if (inserted.length) return null;
      const row = await tx.stripeEmuIdempotency.findUniqueOrThrow({ where: { key } });
      return { fingerprint: row.fingerprint, status: row.status, response: row.response };
    },

    async saveIdempotentResponse(key, status, response) {
      await tx.stripeEmuIdempotency.update({
        where: { key },
        data: { status, response: asJson(response) },
      });
    },

    async enqueueDelivery(eventId) {
      await tx.stripeEmuDelivery.create({ data: { eventId, nextAttemptAt: new Date() } });
    },

    async advanceClock(seconds) {
      const rows = await tx.$queryRaw<{ offsetSeconds: number }[]>`
        INSERT INTO "StripeEmuClock" ("id", "offsetSeconds") VALUES (1, ${seconds})
        ON CONFLICT ("id") DO UPDATE
          SET "offsetSeconds" = "StripeEmuClock"."offsetSeconds" + EXCLUDED."offsetSeconds"
        RETURNING "offsetSeconds"`;
      return rows[0]!.offsetSeconds;
    },
  };
}

export function prismaStripeEmulatorStore(db: Db): StripeEmulatorStore {
  return {
    ...reader(db),

    transaction(fn) {
      return db.$transaction((tx) => fn(transactional(tx)));
    },

    async dueSubscriptions(now, limit) {
      const rows = await db.stripeEmuObject.findMany({
        where: { type: "subscription", dueAt: { lte: new Date(now * 1000) } },
        orderBy: { dueAt: "asc" },
        take: limit,
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },

    async upcoming(limit) {
      const rows = await db.stripeEmuObject.findMany({
        where: { type: "subscription", dueAt: { not: null } },
        orderBy: { dueAt: "asc" },
        take: limit,
        select: { dueAt: true, data: true },
      });
      // The stored time may be a trial-ending notice; the list shows what moves money.
      return rows
        .map((r) => {
          const subscription = r.data as unknown as EmuSubscription;
          const dueAt =
            subscriptionDueAt(subscription, { notices: false }) ??
            Math.floor(r.dueAt!.getTime() / 1000);
          return { dueAt, subscription };
        })
        .sort((a, b) => a.dueAt - b.dueAt);
    },

    claimDeliveries(limit, leaseSeconds) {
      return db.$transaction(async (tx) => {
        // Events of one transaction share a `nextAttemptAt`; their `seq` keeps them in order.
        const rows = await tx.$queryRaw<
          { id: string; eventId: string; attempts: number; data: unknown }[]
        >`
          SELECT d."id", d."eventId", d."attempts", e."data"
          FROM "StripeEmuDelivery" d
          JOIN "StripeEmuObject" e ON e."id" = d."eventId"
          WHERE d."nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
          ORDER BY d."nextAttemptAt", e."seq"
          LIMIT ${limit}
          FOR UPDATE OF d SKIP LOCKED`;
        if (!rows.length) return [];
        await tx.$executeRaw`
          UPDATE "StripeEmuDelivery"
          SET "attempts" = "attempts" + 1,
              "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + make_interval(secs => ${leaseSeconds})
          WHERE "id" IN (${Prisma.join(rows.map((r) => r.id))})`;
        return rows.map((r) => ({
          id: r.id,
          eventId: r.eventId,
          attempt: r.attempts + 1,
          event: r.data,
        }));
      });
    },

    async finishDelivery(id, result) {
      if (result.ok) {
        await db.$executeRaw`
          UPDATE "StripeEmuDelivery"
          SET "deliveredAt" = (now() AT TIME ZONE 'UTC'), "nextAttemptAt" = NULL,
              "lastStatus" = ${result.status}, "lastError" = NULL
          WHERE "id" = ${id}`;
        return;
      }
      await db.$executeRaw`
        UPDATE "StripeEmuDelivery"
        SET "nextAttemptAt" = CASE WHEN ${result.retryInSeconds}::int IS NULL THEN NULL
                                   ELSE (now() AT TIME ZONE 'UTC') + make_interval(secs => ${result.retryInSeconds}::int) END,
            "lastStatus" = ${result.status}::int, "lastError" = ${result.error}
        WHERE "id" = ${id}`;
    },

    async deliveries(eventId) {
      return db.stripeEmuDelivery.findMany({
        where: { eventId },
        orderBy: { createdAt: "asc" },
        select: {
          attempts: true,
          deliveredAt: true,
          nextAttemptAt: true,
          lastStatus: true,
          lastError: true,
        },
      });
    },

    async pruneIdempotency(olderThanSeconds) {
      await db.$executeRaw`
        DELETE FROM "StripeEmuIdempotency"
        WHERE "createdAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${olderThanSeconds})`;
    },
  };
}
