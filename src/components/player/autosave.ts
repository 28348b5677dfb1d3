/**
 * When the player's answer drafts are saved, with no React and no network in here: the hook
 * (`useDraft`) gives it a transport, timers and a place for the device copy, so the order of
 * saves and submits can be tested with a fake clock and a fake server (tests/unit/autosave).
 */

export type AutosaveStatus =
  | "idle"
  | "pending"
  | "saving"
  | "saved"
  | "offline"
  | "conflict"
  | "error";

/** What one save attempt came to; the transport maps its own errors onto these. */
export type SaveResult =
  | { ok: true; version: number }
  | { ok: false; reason: "conflict" }
  | { ok: false; reason: "rejected"; message: string }
  | { ok: false; reason: "unreachable" };

export type Timers = {
  set: (run: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
};

/** The device copy (localStorage in the browser): it outlives a reload while offline. */
export type DeviceCopy<C> = { content: C; baseVersion: number; savedAt: number; synced: boolean };
export type DeviceStore<C> = {
  write: (copy: Omit<DeviceCopy<C>, "savedAt">) => void;
  clear: () => void;
};

/** What the form shows. A new object on every change, so React can compare by reference. */
export type AutosaveView<C> = {
  content: C;
  status: AutosaveStatus;
  error: string | null;
  /** What this tab typed when the server refused it as stale, offered to copy from. */
  conflictCopy: C | null;
  submitting: boolean;
};

export type SubmitResult<R> =
  | { status: "submitted"; value: R }
  | { status: "failed"; error: unknown }
  /** Nothing was sent: another submit is running, or a save just found a newer draft. */
  | { status: "blocked" };

export type AutosaveOptions<C> = {
  content: C;
  version: number;
  empty: () => C;
  save: (content: C, baseVersion: number) => Promise<SaveResult>;
  timers: Timers;
  isOnline: () => boolean;
  store: DeviceStore<C>;
  onChange: (view: AutosaveView<C>) => void;
  debounceMs?: number;
  retryMs?: number;
};

export const DEBOUNCE_MS = 800;
export const RETRY_MS = 5000;

/** A device copy is worth restoring only if it is newer, unsynced and typed on the server's version. */
export function shouldRestore<C>(
  local: DeviceCopy<C> | null,
  server: { version: number; updatedAt: Date | string } | null,
): local is DeviceCopy<C> {
  if (!local || local.synced) return false;
  const serverAt = server ? new Date(server.updatedAt).getTime() : 0;
  // A copy typed on an older version is a stale tab's refused text: restoring it would show it
  // in the up-to-date tab and report a conflict there.
  return local.baseVersion === (server?.version ?? 0) && local.savedAt > serverAt;
}

export function createAutosave<C>(options: AutosaveOptions<C>) {
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  const retryMs = options.retryMs ?? RETRY_MS;
  const { timers, store } = options;

  let latest = options.content;
  let version = options.version;
  let timer: unknown;
  let inFlight: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let view: AutosaveView<C> = {
    content: latest,
    status: options.version > 0 ? "saved" : "idle",
    error: null,
    conflictCopy: null,
    submitting: false,
  };

  const show = (patch: Partial<AutosaveView<C>>) => {
    view = { ...view, ...patch };
    options.onChange(view);
  };
  const cancelTimer = () => {
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
  };
  const schedule = (ms: number) => {
    cancelTimer();
    timer = timers.set(() => {
      timer = undefined;
      void flush();
    }, ms);
  };
  const writeLocal = (synced: boolean) =>
    store.write({ content: latest, baseVersion: version, synced });

  async function flush(): Promise<void> {
    cancelTimer();
    if (stopped) return;
    if (inFlight) {
      again = true;
      return inFlight;
    }
    if (!options.isOnline()) {
      show({ status: "offline" });
      return;
    }
    const sent = latest;
    show({ status: "saving" });
    const run = (async () => {
      const result = await options.save(sent, version);
      if (result.ok) {
        version = result.version;
        if (latest === sent) {
          writeLocal(true);
          show({ status: "saved", error: null });
        } else again = true;
      } else if (result.reason === "conflict") {
        stopped = true;
        show({ status: "conflict", conflictCopy: latest });
      } else if (result.reason === "rejected") {
        stopped = true;
        show({ status: "error", error: result.message });
      } else {
        show({ status: "offline" });
        schedule(retryMs);
      }
    })();
    inFlight = run;
    await run;
    inFlight = null;
    if (again && !stopped) {
      again = false;
      await flush();
    }
  }

  return {
    get view() {
      return view;
    },

    /** The member typed: keep a device copy at once, save after a pause. */
    edit(content: C) {
      latest = content;
      writeLocal(false);
      if (stopped) {
        show({ content });
        return;
      }
      show({ content, status: options.isOnline() ? "pending" : "offline" });
      schedule(debounceMs);
    },

    /** Save now (the network came back, or a device copy was restored). */
    flush() {
      return flush();
    },

    /** A device copy that is newer than the server's draft: show it and sync it. */
    restore(content: C, baseVersion: number) {
      latest = content;
      version = baseVersion;
      show({ content, status: "pending" });
      return flush();
    },

    /** Take what the server has (after a conflict): this tab goes on from that version. */
    load(content: C, serverVersion: number) {
      latest = content;
      version = serverVersion;
      stopped = false;
      writeLocal(true);
      show({
        content,
        status: serverVersion > 0 ? "saved" : "idle",
        error: null,
        conflictCopy: null,
      });
    },

    /** Records a pass with `send`; the server deletes the draft when it does. */
    async submit<R>(send: (content: C) => Promise<R>): Promise<SubmitResult<R>> {
      cancelTimer();
      if (inFlight) await inFlight;
      show({ submitting: true });
      try {
        const value = await send(latest);
        cancelTimer();
        stopped = false;
        version = 0;
        latest = options.empty();
        store.clear();
        show({
          content: latest,
          status: "idle",
          error: null,
          conflictCopy: null,
          submitting: false,
        });
        return { status: "submitted", value };
      } catch (error) {
        show({ submitting: false });
        return { status: "failed", error };
      }
    },

    /** The component unmounts: no timer may fire into it. */
    cancelTimers() {
      cancelTimer();
    },
  };
}

export type Autosave<C> = ReturnType<typeof createAutosave<C>>;
