import { describe, expect, it } from "vitest";
import { feedEvents } from "@/server/cohorts/live";

/**
 * On the embedded database (its URL names application_name=kindred-embedded) the live feed polls
 * instead of LISTENing: an event whenever the newest change moves, nothing otherwise, and the
 * stream ends when the reader closes it, even mid-wait.
 */
describe("feed events on the embedded database", () => {
  it("makes an event when the newest change moves, and stops when closed", async () => {
    let newest = 100;
    let polls = 0;
    const events = await feedEvents({
      connectionString: "postgresql://x@127.0.0.1:1/db?application_name=kindred-embedded",
      cohortId: "c1",
      signal: undefined,
      pollMs: 20,
      poll: async () => {
        polls += 1;
        return newest;
      },
    });
    const iterator = events[Symbol.asyncIterator]();
    const next = iterator.next();
    await new Promise((r) => setTimeout(r, 80));
    // Nothing changed yet: still waiting.
    expect(await Promise.race([next.then(() => "event"), Promise.resolve("waiting")])).toBe(
      "waiting",
    );
    newest = 200;
    expect(await next).toEqual({
      value: { cohortId: "c1", what: "post", postId: null },
      done: false,
    });
    const pending = iterator.next();
    await iterator.return?.();
    expect(await pending).toEqual({ value: undefined, done: true });
    const count = polls;
    await new Promise((r) => setTimeout(r, 80));
    expect(polls).toBe(count);
  });

  it("ends at once when its request is aborted", async () => {
    const controller = new AbortController();
    const events = await feedEvents({
      connectionString: "postgresql://x@127.0.0.1:1/db?application_name=kindred-embedded",
      cohortId: "c2",
      signal: controller.signal,
      pollMs: 1000,
      poll: async () => 1,
    });
    const pending = events[Symbol.asyncIterator]().next();
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});
