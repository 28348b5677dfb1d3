import { describe, expect, it } from "vitest";
import {
  type AutosaveView,
  createAutosave,
  DEBOUNCE_MS,
  type DeviceCopy,
  RETRY_MS,
  type SaveResult,
  shouldRestore,
} from "@/components/player/autosave";

type Content = { text: string };

/** Lets every settled promise run its continuations (no time passes on the fake clock). */
const drain = () => new Promise<void>((done) => setImmediate(done));

/** Timers that fire only when the test moves the clock. */
function fakeClock() {
  let now = 0;
  let seq = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  return {
    timers: {
      set: (run: () => void, ms: number) => {
        seq += 1;
        due.set(seq, { at: now + ms, run });
        return seq;
      },
      clear: (handle: unknown) => {
        due.delete(handle as number);
      },
    },
    get scheduled() {
      return due.size;
    },
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = [...due.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].run();
        await drain();
      }
      now = end;
      await drain();
    },
  };
}

type Call =
  | { kind: "save"; text: string; baseVersion: number; result?: SaveResult }
  | { kind: "submit"; text: string; key?: string };

/** What a 503 from the server comes to once the client has read it: retry after 5 s. */
class Away extends Error {}
const AWAY_WAIT_MS = 5000;

/**
 * The server's draft rules (optimistic versions; a submit deletes the draft), with every request
 * held until the test lets it land, so the test decides the order in which they arrive.
 */
function fakeServer() {
  let draft: { text: string; version: number } | null = null;
  const calls: Call[] = [];
  const held: { land: () => void }[] = [];
  let network = true;
  /** The database: "down" refuses everything; "lose-answer" commits the submit, then the answer is lost. */
  let database: "up" | "down" | "lose-answer" = "up";
  const passes: { key?: string; text: string; passNumber: number }[] = [];

  function applySave(text: string, baseVersion: number): SaveResult {
    if (!network) return { ok: false, reason: "unreachable" };
    if (database === "down") return { ok: false, reason: "unreachable", waitMs: AWAY_WAIT_MS };
    if (text.length > 100) return { ok: false, reason: "rejected", message: "Too long." };
    if (baseVersion === 0) {
      if (draft) return { ok: false, reason: "conflict" };
      draft = { text, version: 1 };
      return { ok: true, version: 1 };
    }
    if (draft?.version !== baseVersion) return { ok: false, reason: "conflict" };
    draft = { text, version: baseVersion + 1 };
    return { ok: true, version: draft.version };
  }

  return {
    calls,
    get draft() {
      return draft;
    },
    /** Another tab saved meanwhile. */
    setDraft(next: { text: string; version: number } | null) {
      draft = next;
    },
    setNetwork(up: boolean) {
      network = up;
    },
    setDatabase(state: "up" | "down" | "lose-answer") {
      database = state;
    },
    passes,
    get waiting() {
      return held.length;
    },
    save(content: Content, baseVersion: number): Promise<SaveResult> {
      const call: Call = { kind: "save", text: content.text, baseVersion };
      calls.push(call);
      return new Promise((resolve) => {
        held.push({
          land: () => {
            call.result = applySave(content.text, baseVersion);
            resolve(call.result);
          },
        });
      });
    },
    submit(content: Content, key?: string): Promise<{ passNumber: number }> {
      calls.push(
        key ? { kind: "submit", text: content.text, key } : { kind: "submit", text: content.text },
      );
      return new Promise((resolve, reject) => {
        held.push({
          land: () => {
            if (!network) return reject(new Error("offline"));
            if (database === "down") return reject(new Away());
            // The same submission id again: the pass it recorded, not a second one.
            const recorded = key ? passes.find((p) => p.key === key) : undefined;
            if (recorded) return resolve({ passNumber: recorded.passNumber });
            if (!content.text.trim()) return reject(new Error("Write something first."));
            draft = null;
            passes.push({ key, text: content.text, passNumber: passes.length + 1 });
            if (database === "lose-answer") {
              database = "down";
              return reject(new Away());
            }
            resolve({ passNumber: passes.length });
          },
        });
      });
    },
    /** Lets the oldest held request reach the server and its answer come back. */
    async land() {
      const next = held.shift();
      if (!next) throw new Error("no request is waiting");
      next.land();
      await drain();
    },
    saves() {
      return calls.filter((c) => c.kind === "save");
    },
  };
}

function setup(start: { text: string; version: number } = { text: "", version: 0 }) {
  const clock = fakeClock();
  const server = fakeServer();
  if (start.version > 0) server.setDraft({ ...start });
  let online = true;
  let device: Omit<DeviceCopy<Content>, "savedAt"> | null = null;
  const views: AutosaveView<Content>[] = [];
  const autosave = createAutosave<Content>({
    content: { text: start.text },
    version: start.version,
    empty: () => ({ text: "" }),
    save: (content, baseVersion) => server.save(content, baseVersion),
    timers: clock.timers,
    isOnline: () => online,
    store: {
      write: (copy) => {
        device = copy;
      },
      clear: () => {
        device = null;
      },
    },
    onChange: (view) => views.push(view),
    retryable: (error) => (error instanceof Away ? { waitMs: AWAY_WAIT_MS } : null),
  });
  const submit = () => autosave.submit((content) => server.submit(content));
  /** As the card sends it: one submission id for every attempt of this submit. */
  const submitOnce = (key: string) => autosave.submit((content) => server.submit(content, key));
  return {
    clock,
    server,
    autosave,
    views,
    submit,
    submitOnce,
    get device() {
      return device;
    },
    setOnline(up: boolean) {
      online = up;
      server.setNetwork(up);
    },
    type: (text: string) => autosave.edit({ text }),
  };
}

describe("autosave scheduling", () => {
  it("saves once after a pause in typing, with the latest text, and marks the device copy synced", async () => {
    const t = setup();
    t.type("H");
    t.type("He");
    t.type("Hello");
    expect(t.autosave.view.status).toBe("pending");
    expect(t.device).toEqual({ content: { text: "Hello" }, baseVersion: 0, synced: false });
    await t.clock.advance(DEBOUNCE_MS - 1);
    expect(t.server.calls).toEqual([]);
    await t.clock.advance(1);
    expect(t.server.saves()).toEqual([{ kind: "save", text: "Hello", baseVersion: 0 }]);
    expect(t.autosave.view.status).toBe("saving");
    await t.server.land();
    expect(t.autosave.view.status).toBe("saved");
    expect(t.server.draft).toEqual({ text: "Hello", version: 1 });
    expect(t.device).toEqual({ content: { text: "Hello" }, baseVersion: 1, synced: true });
  });

  it("sends what was typed during a save right after it, on the new version", async () => {
    const t = setup();
    t.type("one");
    await t.clock.advance(DEBOUNCE_MS);
    t.type("one two");
    await t.server.land();
    expect(t.server.saves().map((c) => [c.text, c.baseVersion])).toEqual([
      ["one", 0],
      ["one two", 1],
    ]);
    await t.server.land();
    expect(t.autosave.view.status).toBe("saved");
    expect(t.server.draft).toEqual({ text: "one two", version: 2 });
  });

  it("keeps the text on the device while offline and saves it when the network returns", async () => {
    const t = setup();
    t.setOnline(false);
    t.type("on the train");
    expect(t.autosave.view.status).toBe("offline");
    await t.clock.advance(DEBOUNCE_MS);
    expect(t.server.calls).toEqual([]);
    expect(t.device).toMatchObject({ content: { text: "on the train" }, synced: false });
    t.setOnline(true);
    void t.autosave.flush();
    await t.server.land();
    expect(t.server.draft).toEqual({ text: "on the train", version: 1 });
    expect(t.autosave.view.status).toBe("saved");
  });

  it("retries a save that could not reach the server", async () => {
    const t = setup();
    t.type("dropped");
    await t.clock.advance(DEBOUNCE_MS);
    t.server.setNetwork(false);
    await t.server.land();
    // The device is online: the server is what is away, so the state is the calm "paused".
    expect(t.autosave.view.status).toBe("paused");
    t.server.setNetwork(true);
    await t.clock.advance(RETRY_MS);
    await t.server.land();
    expect(t.server.saves()).toHaveLength(2);
    expect(t.server.draft).toEqual({ text: "dropped", version: 1 });
    expect(t.autosave.view.status).toBe("saved");
  });

  it("stops on a newer draft from another tab, keeps what this tab typed, and goes on after loading it", async () => {
    const t = setup();
    t.server.setDraft({ text: "from tab A", version: 1 });
    t.type("from tab B");
    await t.clock.advance(DEBOUNCE_MS);
    await t.server.land();
    expect(t.autosave.view).toMatchObject({
      status: "conflict",
      conflictCopy: { text: "from tab B" },
    });
    t.type("more from tab B");
    await t.clock.advance(DEBOUNCE_MS * 10);
    expect(t.server.saves()).toHaveLength(1);
    expect(t.server.draft).toEqual({ text: "from tab A", version: 1 });

    t.autosave.load({ text: "from tab A" }, 1);
    expect(t.autosave.view).toMatchObject({ status: "saved", content: { text: "from tab A" } });
    t.type("from tab A, then B");
    await t.clock.advance(DEBOUNCE_MS);
    await t.server.land();
    expect(t.server.draft).toEqual({ text: "from tab A, then B", version: 2 });
  });

  it("reports a refused save with the server's message and stops saving", async () => {
    const t = setup();
    t.type("x".repeat(101));
    await t.clock.advance(DEBOUNCE_MS);
    await t.server.land();
    expect(t.autosave.view).toMatchObject({ status: "error", error: "Too long." });
    t.type("x".repeat(102));
    await t.clock.advance(DEBOUNCE_MS);
    expect(t.server.saves()).toHaveLength(1);
  });
});

describe("restoring the device copy", () => {
  const server = { version: 2, updatedAt: new Date(1000) };
  const copy = (patch: Partial<DeviceCopy<Content>>): DeviceCopy<Content> => ({
    content: { text: "typed" },
    baseVersion: 2,
    savedAt: 2000,
    synced: false,
    ...patch,
  });

  it("restores an unsynced copy typed on the server's version after its last save", () => {
    expect(shouldRestore(copy({}), server)).toBe(true);
    expect(shouldRestore(copy({ baseVersion: 0 }), null)).toBe(true);
  });

  it("drops a synced, older or stale-tab copy", () => {
    expect(shouldRestore(null, server)).toBe(false);
    expect(shouldRestore(copy({ synced: true }), server)).toBe(false);
    expect(shouldRestore(copy({ savedAt: 500 }), server)).toBe(false);
    expect(shouldRestore(copy({ baseVersion: 1 }), server)).toBe(false);
  });
});

/** Calls after the first submit: no save may follow a submit of the same pass. */
const afterSubmit = (calls: Call[]) => calls.slice(calls.findIndex((c) => c.kind === "submit"));

describe("submitting a pass (issue 6, item 5)", () => {
  it("waits for the save in flight and sends no follow-up save after the submit", async () => {
    const t = setup();
    t.type("first words");
    await t.clock.advance(DEBOUNCE_MS);
    t.type("first words, and more"); // typed while the save is on its way
    const submitted = t.submit();
    await t.server.land(); // the save in flight lands before the submit is sent
    expect(t.server.calls.slice(1)).toEqual([{ kind: "submit", text: "first words, and more" }]);
    await t.server.land(); // the submit: the server deletes the draft
    expect(await submitted).toEqual({ status: "submitted", value: { passNumber: 1 } });
    await t.clock.advance(RETRY_MS * 10);
    while (t.server.waiting) await t.server.land();

    expect(afterSubmit(t.server.calls)).toEqual([
      { kind: "submit", text: "first words, and more" },
    ]);
    expect(t.server.draft).toBeNull();
    expect(t.views.some((v) => v.status === "conflict")).toBe(false);
    expect(t.autosave.view).toMatchObject({ status: "idle", content: { text: "" } });
    expect(t.device).toBeNull();
  });

  it("cancels the pending debounce and submits the latest text without saving it first", async () => {
    const t = setup({ text: "saved before", version: 3 });
    t.type("saved before, then edited");
    const submitted = t.submit();
    await t.clock.advance(DEBOUNCE_MS * 2);
    await t.server.land();
    expect((await submitted).status).toBe("submitted");
    await t.clock.advance(RETRY_MS * 10);
    expect(t.server.calls).toEqual([{ kind: "submit", text: "saved before, then edited" }]);
    expect(t.server.draft).toBeNull();
    expect(t.device).toBeNull();
  });

  it("does not retry a failed save after the pass was recorded", async () => {
    const t = setup();
    t.type("dropped on the way");
    await t.clock.advance(DEBOUNCE_MS);
    const submitted = t.submit();
    t.server.setNetwork(false);
    await t.server.land(); // the save in flight fails: normally retried after RETRY_MS
    t.server.setNetwork(true);
    await t.server.land();
    expect((await submitted).status).toBe("submitted");
    await t.clock.advance(RETRY_MS * 10);
    expect(afterSubmit(t.server.calls)).toHaveLength(1);
    expect(t.server.draft).toBeNull();
    expect(t.autosave.view.status).toBe("idle");
  });

  it("sends nothing when the network returns during or after the submit", async () => {
    const t = setup();
    t.type("typed");
    const submitted = t.submit();
    void t.autosave.flush(); // the browser's "online" event while submitting
    await t.server.land();
    expect((await submitted).status).toBe("submitted");
    void t.autosave.flush(); // and after it
    await t.clock.advance(RETRY_MS);
    expect(t.server.calls).toEqual([{ kind: "submit", text: "typed" }]);
  });

  it("shows that it is submitting from the first moment, and refuses a second submit meanwhile", async () => {
    const t = setup();
    t.type("once");
    await t.clock.advance(DEBOUNCE_MS);
    const first = t.submit();
    expect(t.autosave.view.submitting).toBe(true);
    expect(await t.submit()).toEqual({ status: "blocked" });
    await t.server.land();
    await t.server.land();
    expect((await first).status).toBe("submitted");
    expect(t.autosave.view.submitting).toBe(false);
    expect(t.server.calls.filter((c) => c.kind === "submit")).toHaveLength(1);
  });

  it("does not submit when the save in flight finds a newer draft from another tab", async () => {
    const t = setup();
    t.type("tab B");
    await t.clock.advance(DEBOUNCE_MS);
    t.server.setDraft({ text: "tab A", version: 1 });
    const submitted = t.submit();
    await t.server.land();
    expect(t.server.calls.filter((c) => c.kind === "submit")).toEqual([]);
    expect(await submitted).toEqual({ status: "blocked" });
    expect(t.autosave.view).toMatchObject({ status: "conflict", submitting: false });
  });

  it("goes back to autosaving when the submit is refused", async () => {
    const t = setup();
    t.type(" ");
    const submitted = t.submit();
    await t.server.land();
    const result = await submitted;
    expect(result.status).toBe("failed");
    expect(t.autosave.view.submitting).toBe(false);
    // The unsaved text is saved after the usual pause, and typing goes on being saved.
    await t.clock.advance(DEBOUNCE_MS);
    expect(t.server.saves()).toEqual([{ kind: "save", text: " ", baseVersion: 0 }]);
    await t.server.land();
    expect(t.server.draft).toEqual({ text: " ", version: 1 });
    t.type(" and words");
    await t.clock.advance(DEBOUNCE_MS);
    await t.server.land();
    expect(t.server.draft).toEqual({ text: " and words", version: 2 });
    expect(t.autosave.view.status).toBe("saved");
  });

  it("starts the next pass's draft afresh when the member answers again", async () => {
    const t = setup();
    t.type("pass one");
    const submitted = t.submit();
    await t.server.land();
    expect((await submitted).status).toBe("submitted");
    t.type("pass two");
    await t.clock.advance(DEBOUNCE_MS);
    await t.server.land();
    expect(t.server.saves().map((c) => [c.text, c.baseVersion, c.result?.ok])).toEqual([
      ["pass two", 0, true],
    ]);
    expect(t.autosave.view.status).toBe("saved");
  });
});

describe("while Kindred's database is away (issue 13, item 3)", () => {
  it("pauses calmly, keeps the text on the device, retries after the server's wait and saves it all when it is back", async () => {
    const t = setup();
    t.type("first");
    await t.clock.advance(DEBOUNCE_MS);
    await t.server.land();
    expect(t.server.draft).toEqual({ text: "first", version: 1 });

    t.server.setDatabase("down");
    t.type("first, then more");
    await t.clock.advance(DEBOUNCE_MS);
    await t.server.land();
    expect(t.autosave.view).toMatchObject({ status: "paused", error: null });
    expect(t.device).toEqual({
      content: { text: "first, then more" },
      baseVersion: 1,
      synced: false,
    });
    const pausedAt = t.views.length;

    // Typing on does not hurry the server that asked to wait; the retry takes the latest text.
    t.type("first, then more, and more");
    await t.clock.advance(DEBOUNCE_MS);
    expect(t.server.waiting).toBe(0);
    await t.clock.advance(AWAY_WAIT_MS - DEBOUNCE_MS - 1);
    expect(t.server.waiting).toBe(0);
    await t.clock.advance(1);
    expect(t.server.saves().at(-1)).toMatchObject({ text: "first, then more, and more" });
    await t.server.land(); // still away
    expect(t.autosave.view.status).toBe("paused");

    t.server.setDatabase("up");
    await t.clock.advance(AWAY_WAIT_MS);
    await t.server.land();
    expect(t.server.draft).toEqual({ text: "first, then more, and more", version: 2 });
    expect(t.autosave.view.status).toBe("saved");
    expect(t.device).toMatchObject({ baseVersion: 2, synced: true });
    // Calm all along: no error, no flicker of "Saving…" between the retries.
    const during = t.views.slice(pausedAt, -1).map((v) => v.status);
    expect(new Set(during)).toEqual(new Set(["paused"]));
    expect(t.server.saves()).toHaveLength(4);
  });

  it("sends at once when the browser says the network is back, without waiting for the retry", async () => {
    const t = setup();
    t.server.setNetwork(false);
    t.type("kept");
    await t.clock.advance(DEBOUNCE_MS);
    await t.server.land();
    expect(t.autosave.view.status).toBe("paused");
    t.server.setNetwork(true);
    void t.autosave.flush(); // the "online" event
    await t.server.land();
    expect(t.server.draft).toEqual({ text: "kept", version: 1 });
    expect(t.autosave.view.status).toBe("saved");
    await t.clock.advance(AWAY_WAIT_MS * 10);
    expect(t.server.saves()).toHaveLength(2);
  });

  it("keeps a submit made during the outage, says so, and sends it by itself with the same id when the database is back", async () => {
    const t = setup();
    t.type("my answer");
    t.server.setDatabase("down");
    const submitted = t.submitOnce("id-1");
    await t.server.land();
    expect(t.autosave.view).toMatchObject({
      status: "paused",
      submitting: true,
      content: { text: "my answer" },
    });
    expect(t.device).toMatchObject({ content: { text: "my answer" }, synced: false });
    await t.clock.advance(AWAY_WAIT_MS);
    await t.server.land(); // still away
    t.server.setDatabase("up");
    await t.clock.advance(AWAY_WAIT_MS);
    await t.server.land();
    expect(await submitted).toEqual({ status: "submitted", value: { passNumber: 1 } });
    expect(t.server.calls).toEqual([
      { kind: "submit", text: "my answer", key: "id-1" },
      { kind: "submit", text: "my answer", key: "id-1" },
      { kind: "submit", text: "my answer", key: "id-1" },
    ]);
    expect(t.server.passes).toHaveLength(1);
    expect(t.autosave.view).toMatchObject({ status: "idle", submitting: false });
    expect(t.device).toBeNull();
  });

  it("records one pass when the first try committed but its answer was lost", async () => {
    const t = setup();
    t.type("said once");
    t.server.setDatabase("lose-answer");
    const submitted = t.submitOnce("id-2");
    await t.server.land();
    expect(t.autosave.view.status).toBe("paused");
    t.server.setDatabase("up");
    await t.clock.advance(AWAY_WAIT_MS);
    await t.server.land();
    expect(await submitted).toEqual({ status: "submitted", value: { passNumber: 1 } });
    expect(t.server.passes).toEqual([{ key: "id-2", text: "said once", passNumber: 1 }]);
  });

  it("gives the form back, as typed, when a retried submit is refused for another reason", async () => {
    const t = setup();
    t.type("  ");
    t.server.setDatabase("down");
    const submitted = t.submitOnce("id-3");
    await t.server.land();
    t.server.setDatabase("up");
    await t.clock.advance(AWAY_WAIT_MS);
    await t.server.land(); // refused: nothing written
    expect((await submitted).status).toBe("failed");
    expect(t.autosave.view).toMatchObject({ submitting: false, content: { text: "  " } });
    expect(t.autosave.view.status).not.toBe("paused");
  });

  it("stops a waiting submit when the card goes away, keeping the device copy", async () => {
    const t = setup();
    t.type("left the page");
    t.server.setDatabase("down");
    const submitted = t.submitOnce("id-4");
    await t.server.land();
    t.autosave.cancelTimers();
    expect((await submitted).status).toBe("failed");
    await t.clock.advance(AWAY_WAIT_MS * 10);
    expect(t.server.calls).toHaveLength(1);
    expect(t.device).toMatchObject({ content: { text: "left the page" }, synced: false });
  });
});
