/**
 * How many web processes share the port. Rendering a page is JavaScript on one thread, so one
 * Node process keeps one core busy and leaves the others idle: in production Kindred runs one
 * web process per core (node:cluster, the kernel's socket handed round-robin), unless
 * WEB_CONCURRENCY says otherwise. Development runs one (hot reload lives in one process); the
 * launcher sets WEB_CONCURRENCY=1 on the embedded database, which answers one query at a time.
 */
export function webProcessCount(options: {
  dev: boolean;
  configured: number | null;
  cores: number;
}): number {
  if (options.dev) return 1;
  return Math.max(1, options.configured ?? options.cores);
}

/**
 * A process that dies on its own is started again, unless processes keep dying: more than
 * `limit` deaths within `windowMs` means something is wrong with every start (a bad build, the
 * port taken), and the whole web server stops instead of spinning.
 */
export class RestartBudget {
  private deaths: number[] = [];
  constructor(
    private readonly limit = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a death at `now`; true when one more start is allowed. */
  allow(now: number): boolean {
    this.deaths = this.deaths.filter((t) => now - t < this.windowMs);
    this.deaths.push(now);
    return this.deaths.length <= this.limit;
  }
}
