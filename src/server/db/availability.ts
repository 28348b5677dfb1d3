/**
 * Is the database there? Which failures mean "PostgreSQL is away for a moment" (stopped,
 * restarting, refusing connections, out of space) rather than a bug, so that callers answer
 * 503 with Retry-After and clients keep what they typed and try again.
 *
 * The recent-trouble mark lives on globalThis under a registered symbol: Kindred's own web
 * server (scripts/web.ts, loaded by tsx) and Next's compiled server bundle each hold their own
 * copy of this module in one process, and both must see the same mark.
 */

/** Seconds a client is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** How long after the last sign of trouble a server error is still put down to the database. */
export const TROUBLE_WINDOW_MS = 30_000;

export type Unavailability = "unreachable" | "full";

// SQLSTATE classes and codes (PostgreSQL appendix A) that say the server or its connection is
// away, not that the statement was wrong: 08 connection exception, 57P01–57P03 shutdown and
// start-up, 53 insufficient resources (53100 disk full), 58 system errors (58030 I/O).
const UNREACHABLE_STATES = new Set(["57P01", "57P02", "57P03", "57P05", "58000", "58030"]);
const FULL_STATES = new Set(["53100", "53200", "53300", "53400"]);
// The driver adapter's own kinds (@prisma/driver-adapter-utils) for the same situations.
const UNREACHABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
// Prisma's codes: P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 server
// closed the connection, P2024 no pooled connection in time.
const UNREACHABLE_PRISMA = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
// node-postgres says these in words only.
const UNREACHABLE_MESSAGES =
  /Connection terminated|not queryable|Can't reach database server|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i;

type Loose = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
};

function classifyOne(error: Loose): Unavailability | null {
  const code = typeof error.code === "string" ? error.code : undefined;
  if (code) {
    if (FULL_STATES.has(code)) return "full";
    if (UNREACHABLE_STATES.has(code) || code.startsWith("08")) return "unreachable";
    if (UNREACHABLE_PRISMA.has(code) || SOCKET_CODES.has(code)) return "unreachable";
  }
  if (typeof error.kind === "string" && UNREACHABLE_KINDS.has(error.kind)) return "unreachable";
  if (typeof error.message === "string" && UNREACHABLE_MESSAGES.test(error.message)) {
    return "unreachable";
  }
  return null;
}

/**
 * What kind of database unavailability `error` is, or null when it is anything else. Looks
 * through the causes Prisma and the driver adapter wrap around the driver's error.
 */
export function databaseUnavailability(error: unknown): Unavailability | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  let found: Unavailability | null = null;
  while (queue.length && seen.size < 16) {
    const current = queue.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const loose = current as Loose;
    const kind = classifyOne(loose);
    // A full disk is the more specific message: keep looking for it once unreachable is found.
    if (kind === "full") return "full";
    found ??= kind;
    queue.push(loose.meta?.driverAdapterError?.cause, loose.meta?.driverAdapterError, loose.cause);
  }
  return found;
}

export function unavailableMessage(kind: Unavailability): string {
  return kind === "full"
    ? "Kindred's storage is full for the moment. Nothing you sent was saved; try again shortly."
    : "Kindred can't reach its database for a moment. Nothing you sent was saved; try again shortly.";
}

type Mark = { lastTroubleAt: number };
const MARK = Symbol.for("kindred.database.trouble");

function mark(): Mark {
  const holder = globalThis as unknown as Record<symbol, Mark | undefined>;
  holder[MARK] ??= { lastTroubleAt: 0 };
  return holder[MARK];
}

/** Something just failed because of the database: remember when. */
export function noteDatabaseTrouble(now = Date.now()): void {
  mark().lastTroubleAt = now;
}

/** Classifies `error` and notes the trouble when it is the database's. */
export function noteIfUnavailable(error: unknown): Unavailability | null {
  const kind = databaseUnavailability(error);
  if (kind) noteDatabaseTrouble();
  return kind;
}

/** Did the database fail within the last `windowMs`? */
export function databaseTroubledRecently(now = Date.now(), windowMs = TROUBLE_WINDOW_MS): boolean {
  const last = mark().lastTroubleAt;
  return last > 0 && now - last <= windowMs;
}
