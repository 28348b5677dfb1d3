/**
 * How the soak's virtual users talk to Kindred: over HTTP through the balancer, as the app's own
 * client does (tRPC with superjson's `{ json }` envelope, the session cookie, the Origin), and
 * behaving as it does when the server is unreachable: on a 503 wait what Retry-After says and
 * send the same write again; on a dropped connection (or the balancer's 502) wait a second and
 * send it again. A 500 is never retried: it is counted, and the soak fails.
 *
 * Every answer becomes an event (time, status class, procedure), so each fault's window can be
 * told what was answered during it.
 */
export type Outcome = "ok" | "503" | "500" | "5xx" | "conn" | "4xx";
export type SoakEvent = { t: number; op: string; outcome: Outcome; status: number };

export type Answer = {
  status: number;
  /** tRPC's `result.data.json` on success. */
  data?: unknown;
  /** tRPC's error code (CONFLICT, PRECONDITION_FAILED…) or the route's error text. */
  error?: string;
  /** Retries this write needed: 503s, connection drops. */
  retried503: number;
  retriedConn: number;
  /** True when an attempt may have been applied without the client hearing so. */
  ambiguous: boolean;
};

export class GaveUp extends Error {}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SoakClient {
  events: SoakEvent[] = [];
  requests = 0;
  stopped = false;
  readonly started = Date.now();

  constructor(
    readonly baseUrl: string,
    readonly cookieName: string,
    /** Give up on one write after this long of 503s and drops (then it counts as failed). */
    readonly patienceMs: number,
    readonly maxRequests: number,
  ) {}

  private record(op: string, status: number, outcome: Outcome) {
    this.events.push({ t: Date.now(), op, outcome, status });
  }

  get budgetLeft() {
    return this.requests < this.maxRequests;
  }

  /** One HTTP exchange with the retry policy; `send` builds a fresh request each time. */
  async exchange(
    op: string,
    send: () => Promise<Response>,
    parse: (response: Response) => Promise<Pick<Answer, "data" | "error">>,
  ): Promise<Answer> {
    const deadline = Date.now() + this.patienceMs;
    let retried503 = 0;
    let retriedConn = 0;
    let ambiguous = false;
    for (;;) {
      this.requests += 1;
      let response: Response | null = null;
      try {
        response = await send();
      } catch {
        response = null;
      }
      if (!response || response.status === 502) {
        await response?.arrayBuffer().catch(() => null);
        this.record(op, response?.status ?? 0, "conn");
        // The request may have reached the server and been applied.
        ambiguous = true;
        retriedConn += 1;
        if (Date.now() > deadline) throw new GaveUp(`${op}: no answer for ${this.patienceMs} ms`);
        await pause(1000);
        continue;
      }
      if (response.status === 503) {
        await response.arrayBuffer().catch(() => null);
        this.record(op, 503, "503");
        retried503 += 1;
        if (Date.now() > deadline) throw new GaveUp(`${op}: 503 for ${this.patienceMs} ms`);
        const after = Number(response.headers.get("retry-after"));
        await pause(Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : 5000);
        continue;
      }
      const status = response.status;
      const outcome: Outcome =
        status < 400 ? "ok" : status === 500 ? "500" : status >= 500 ? "5xx" : "4xx";
      this.record(op, status, outcome);
      const parsed = await parse(response).catch(() => ({ error: "unreadable answer" }));
      return { status, ...parsed, retried503, retriedConn, ambiguous };
    }
  }

  private headers(session?: string, extra: Record<string, string> = {}) {
    const headers: Record<string, string> = { origin: this.baseUrl, ...extra };
    if (session) headers.cookie = `${this.cookieName}=${session}`;
    return headers;
  }

  /** A tRPC mutation (POST /api/trpc/<procedure>, body `{ json: input }`). */
  mutation(procedure: string, input: unknown, session?: string): Promise<Answer> {
    return this.exchange(
      procedure,
      () =>
        fetch(`${this.baseUrl}/api/trpc/${procedure}`, {
          method: "POST",
          headers: this.headers(session, { "content-type": "application/json" }),
          body: JSON.stringify({ json: input }),
          signal: AbortSignal.timeout(60_000),
        }),
      trpcAnswer,
    );
  }

  /** A tRPC query (GET /api/trpc/<procedure>?input=…). */
  query(procedure: string, input: unknown, session?: string): Promise<Answer> {
    const search =
      input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return this.exchange(
      procedure,
      () =>
        fetch(`${this.baseUrl}/api/trpc/${procedure}${search}`, {
          headers: this.headers(session),
          signal: AbortSignal.timeout(60_000),
        }),
      trpcAnswer,
    );
  }

  /** An image upload (POST /api/uploads, multipart `file`). */
  upload(bytes: Buffer, session: string): Promise<Answer> {
    return this.exchange(
      "upload",
      () => {
        const form = new FormData();
        form.set("file", new File([new Uint8Array(bytes)], "avatar.png", { type: "image/png" }));
        return fetch(`${this.baseUrl}/api/uploads`, {
          method: "POST",
          headers: this.headers(session),
          body: form,
          signal: AbortSignal.timeout(60_000),
        });
      },
      async (response) => {
        const body = (await response.json()) as { url?: string; error?: string };
        return response.ok ? { data: body } : { error: body.error ?? String(response.status) };
      },
    );
  }
}

async function trpcAnswer(response: Response): Promise<Pick<Answer, "data" | "error">> {
  const body = (await response.json()) as {
    result?: { data?: { json?: unknown } };
    error?: { json?: { message?: string; data?: { code?: string } } };
  };
  if (response.ok) return { data: body.result?.data?.json };
  return { error: body.error?.json?.data?.code ?? body.error?.json?.message ?? "error" };
}
