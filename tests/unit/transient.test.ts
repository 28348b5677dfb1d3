import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import {
  MAX_WAIT_MS,
  MIN_WAIT_MS,
  retryDelay,
  sendUntilAnswered,
  transientFailure,
} from "@/lib/transient";

/** A TRPCClientError as the client builds it from the server's error answer. */
function answered(code: string, extra: Record<string, unknown> = {}) {
  return TRPCClientError.from({
    error: { code: -32000, message: "m", data: { code, httpStatus: 0, ...extra } },
  });
}

describe("what counts as a transient failure", () => {
  it("retries the database being away, after the wait the server asked for", () => {
    expect(transientFailure(answered("SERVICE_UNAVAILABLE", { retryAfter: 5 }))).toEqual({
      kind: "unavailable",
      waitMs: 5000,
    });
    expect(transientFailure(answered("SERVICE_UNAVAILABLE"))).toEqual({
      kind: "unavailable",
      waitMs: null,
    });
    expect(transientFailure(answered("SERVICE_UNAVAILABLE", { retryAfter: "soon" }))?.waitMs).toBe(
      null,
    );
  });

  it("retries an unexpected server failure and a request that got no answer", () => {
    expect(transientFailure(answered("INTERNAL_SERVER_ERROR"))?.kind).toBe("unreachable");
    expect(transientFailure(new TRPCClientError("fetch failed"))?.kind).toBe("unreachable");
    expect(transientFailure(new TypeError("Failed to fetch"))?.kind).toBe("unreachable");
  });

  it("gives a refusal the member can act on back to them", () => {
    for (const code of ["BAD_REQUEST", "CONFLICT", "FORBIDDEN", "NOT_FOUND", "UNAUTHORIZED"]) {
      expect(transientFailure(answered(code))).toBeNull();
    }
    expect(transientFailure(new Error("a bug"))).toBeNull();
  });
});

describe("how long to wait before trying again", () => {
  it("backs off from 2 s without a hint, up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => retryDelay(n, null))).toEqual([
      2000,
      4000,
      8000,
      16000,
      MAX_WAIT_MS,
      MAX_WAIT_MS,
      MAX_WAIT_MS,
    ]);
  });

  it("never comes back sooner than the server asked, and at most twice that", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, 5000))).toEqual([
      5000, 5000, 8000, 10000, 10000,
    ]);
  });

  it("keeps an odd hint within reason", () => {
    expect(retryDelay(1, 3_600_000)).toBe(MAX_WAIT_MS);
    expect(retryDelay(1, 10)).toBe(MIN_WAIT_MS);
  });
});

describe("sending a recorded press until it is answered", () => {
  it("waits as told while Kindred is away, then returns the answer", async () => {
    const tries: string[] = [];
    const waits: number[] = [];
    const paused: string[] = [];
    const answer = await sendUntilAnswered(
      async () => {
        tries.push("try");
        if (tries.length === 1) throw answered("SERVICE_UNAVAILABLE", { retryAfter: 5 });
        if (tries.length === 2) throw new TypeError("Failed to fetch");
        return "recorded";
      },
      (failure) => paused.push(failure.kind),
      async (ms) => {
        waits.push(ms);
      },
    );
    expect(answer).toBe("recorded");
    expect(tries).toHaveLength(3);
    expect(paused).toEqual(["unavailable", "unreachable"]);
    expect(waits).toEqual([5000, 4000]);
  });

  it("stops at a refusal the member must act on, and sends nothing more", async () => {
    let tries = 0;
    const refused = sendUntilAnswered(
      async () => {
        tries += 1;
        throw answered("BAD_REQUEST");
      },
      () => {},
      async () => {},
    );
    await expect(refused).rejects.toBeInstanceOf(TRPCClientError);
    expect(tries).toBe(1);
  });
});
