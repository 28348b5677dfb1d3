/**
 * Reading rows that one statement built as JSON (`json_build_object`, `json_agg`): PostgreSQL
 * writes timestamps and dates as text, so the callers turn them back into the Dates Prisma
 * would have given.
 */

/** What such a statement returns for a row type: every Date is text. */
export type AsJson<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? AsJson<U>[]
    : T extends object
      ? { [K in keyof T]: AsJson<T[K]> }
      : T;

/** `timestamp(3)` columns hold UTC; their JSON text has no zone, so it is read as UTC. */
export const instant = (text: string) => new Date(`${text}Z`);

/** `date` columns: Prisma gives midnight UTC of the day, and so does this. */
export const dateColumn = (text: string) => new Date(`${text}T00:00:00Z`);
