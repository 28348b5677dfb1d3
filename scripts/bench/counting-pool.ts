import pg from "pg";

/** One statement as the driver sent it, and when it was sent and answered. */
export type SentStatement = {
  /** The query config as given to `client.query` (text, values, rowMode, types…). */
  config: pg.QueryConfig & Record<string, unknown>;
  start: number;
  end: number;
};

/**
 * A pg Pool that counts every statement any of its clients sends (pool.query and checked-out
 * clients alike, transactions included), and can record them with their timing. Handed to
 * PrismaPg, it shows exactly what a procedure costs in round trips; handed to the floor, it shows
 * the floor sends the same number.
 */
export class CountingPool extends pg.Pool {
  statements = 0;
  private recording: SentStatement[] | null = null;

  constructor(config: pg.PoolConfig) {
    super(config);
    this.on("connect", (client) => this.instrument(client));
  }

  /** Runs `fn` and returns every statement sent while it ran. */
  async record(fn: () => Promise<unknown>): Promise<SentStatement[]> {
    const sent: SentStatement[] = [];
    this.recording = sent;
    try {
      await fn();
    } finally {
      this.recording = null;
    }
    return sent;
  }

  private instrument(client: pg.PoolClient) {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    const counted = (...args: unknown[]) => {
      this.statements += 1;
      const recording = this.recording;
      if (!recording) return original(...args);
      const [first, second] = args;
      const config = (
        typeof first === "string"
          ? { text: first, values: Array.isArray(second) ? second : undefined }
          : { ...(first as object) }
      ) as SentStatement["config"];
      const entry: SentStatement = { config, start: performance.now(), end: Number.NaN };
      recording.push(entry);
      const last = args.at(-1);
      if (typeof last === "function") {
        args[args.length - 1] = (...result: unknown[]) => {
          entry.end = performance.now();
          return (last as (...a: unknown[]) => unknown)(...result);
        };
        return original(...args);
      }
      const result = original(...args);
      if (result && typeof (result as Promise<unknown>).then === "function") {
        (result as Promise<unknown>).then(
          () => {
            entry.end = performance.now();
          },
          () => {
            entry.end = performance.now();
          },
        );
      }
      return result;
    };
    (client as unknown as { query: typeof counted }).query = counted;
  }
}
