import { RETRY_WAIT_MS_FIRST, retryDelay } from "@/lib/transient";

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
  /** Kindred could not take it for now (its database is away): kept here, retried by itself. */
  | "paused"
  | "conflict"
  | "error";

/** What one save attempt came to; the transport maps its own errors onto these. */
export type SaveResult =
  | { ok: true; version: number }
  | { ok: false; reason: "conflict" }
  | { ok: false; reason: "rejected"; message: string }
  /** Not taken, worth sending again: no answer, or the server asked to come back (`waitMs`). */
  | { ok: false; reason: "unreachable"; waitMs?: number | null };

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
  /**
   * Whether a failed submit may be sent again as it was (the send carries its own idempotency
   * key), and the wait the server asked for. Null: the failure goes back to the member.
   */
  retryable?: (error: unknown) => { waitMs: number | null } | null;
  debounceMs?: number;
  /** The wait before retry `attempt` (from 1), given the server's hint. */
  retryDelay?: (attempt: number, hintMs: number | null) => number;
};

export const DEBOUNCE_MS = 800;
/** The first retry's wait when the server gave no hint (later ones back off). */
export const RETRY_MS = RETRY_WAIT_MS_FIRST;

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

/**
 * One exercise's autosave. Saves carry the version they started from, one at a time; a save
 * starts only while the member is answering ("open"). Submitting closes that door first, waits
 * for the one save already on its way, and then sends the pass; after a recorded pass nothing of
 * that pass is saved again (the server deleted the draft: a late save would either resurrect it
 * or, carrying the old version, be refused as a false "changed in another tab").
 */
export function createAutosave<C>(options: AutosaveOptions<C>) {
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  const delay = options.retryDelay ?? retryDelay;
  const { timers, store } = options;

  /** What the member sees; what the server holds for `version` (same reference when clean). */
  let latest = options.content;
  let saved = options.content;
  let version = options.version;
  let phase: "open" | "submitting" | "submitted" = "open";
  /** A refusal the member must act on (a newer draft elsewhere, invalid content) stops saving. */
  let stoppedBy: "conflict" | "error" | null = null;
  let timer: unknown;
  let inFlight: Promise<boolean> | null = null;
  /** Failed attempts in a row (saves, or the one submit): drives the backoff and the calm state. */
  let failures = 0;
  /** The submit's wait before its next attempt: resolving it sends now, or (false) gives up. */
  let submitWait: { handle: unknown; resume: (go: boolean) => void } | null = null;
  let disposed = false;
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
  const canSave = () => phase === "open" && stoppedBy === null && !disposed;
  const dirty = () => latest !== saved;
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
  const scheduleSave = () => {
    show({ status: options.isOnline() ? "pending" : "offline" });
    schedule(debounceMs);
  };
  /** Not reached, or the server is away: say so calmly (or that the device is offline). */
  const showAway = () => show({ status: options.isOnline() ? "paused" : "offline" });

  /** One request; true when the server took it. */
  async function saveOnce(): Promise<boolean> {
    const sent = latest;
    // While retrying, each attempt stays "paused": flickering to "Saving…" every few seconds
    // would read as progress that is not there.
    if (failures === 0) show({ status: "saving" });
    let result: SaveResult;
    try {
      result = await options.save(sent, version);
    } catch {
      result = { ok: false, reason: "unreachable" };
    }
    if (result.ok) {
      failures = 0;
      version = result.version;
      saved = sent;
      if (latest === sent) {
        writeLocal(true);
        show({ status: "saved", error: null });
      }
      return true;
    }
    if (result.reason === "conflict") {
      stoppedBy = "conflict";
      show({ status: "conflict", conflictCopy: latest });
    } else if (result.reason === "rejected") {
      stoppedBy = "error";
      show({ status: "error", error: result.message });
    } else {
      failures += 1;
      showAway();
      if (canSave()) schedule(delay(failures, result.waitMs ?? null));
    }
    return false;
  }

  /** Resolves true when the submit should be sent again, false when it was abandoned. */
  function waitToResubmit(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const resume = (go: boolean) => {
        if (submitWait?.resume !== resume) return;
        timers.clear(submitWait.handle);
        submitWait = null;
        resolve(go);
      };
      submitWait = { handle: timers.set(() => resume(true), ms), resume };
    });
  }

  async function flush(): Promise<void> {
    // The network came back while a submit waits: send it now rather than at its next try.
    if (submitWait) return submitWait.resume(true);
    cancelTimer();
    if (!canSave()) return;
    // The save on its way sends what was typed meanwhile when it is back (below).
    if (inFlight) return void (await inFlight);
    if (!dirty()) return;
    if (!options.isOnline()) {
      show({ status: "offline" });
      return;
    }
    inFlight = saveOnce();
    const ok = await inFlight;
    inFlight = null;
    if (ok && canSave() && dirty()) await flush();
  }

  return {
    get view() {
      return view;
    },

    /** The member typed: keep a device copy at once, save after a pause. */
    edit(content: C) {
      // Typing after a recorded pass is the next pass: its draft starts afresh (version 0).
      if (phase === "submitted") phase = "open";
      latest = content;
      writeLocal(false);
      show({ content });
      if (!canSave()) return;
      // Retrying: the text is kept on the device, and the retry already on its way (or waiting
      // for its time) takes it along; typing must not hurry the server that asked to wait.
      if (failures > 0 && (timer !== undefined || inFlight)) return;
      scheduleSave();
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
      saved = content;
      version = serverVersion;
      stoppedBy = null;
      failures = 0;
      writeLocal(true);
      show({
        content,
        status: serverVersion > 0 ? "saved" : "idle",
        error: null,
        conflictCopy: null,
      });
    },

    /**
     * Records a pass with `send` (given the latest content). No save is sent from the moment it
     * is called; a save already on its way lands first. A failure `retryable` accepts (the
     * server is away) is sent again by itself, the same content with the same `send` (which
     * carries its idempotency key), while the view says "paused" and the form stays as typed.
     * On success the draft is gone for good: device copy cleared, form empty. On any other
     * failure autosave picks up where it was.
     */
    async submit<R>(send: (content: C) => Promise<R>): Promise<SubmitResult<R>> {
      if (phase === "submitting") return { status: "blocked" };
      phase = "submitting";
      cancelTimer();
      show({ submitting: true });
      if (inFlight) await inFlight;
      if (stoppedBy === "conflict") {
        phase = "open";
        show({ submitting: false });
        return { status: "blocked" };
      }
      const content = latest;
      const statusBefore = view.status;
      let value: R;
      for (let attempt = 1; ; attempt += 1) {
        try {
          value = await send(content);
          break;
        } catch (error) {
          const retry = options.retryable?.(error) ?? null;
          if (retry && !disposed) {
            showAway();
            if (await waitToResubmit(delay(attempt, retry.waitMs))) continue;
          }
          phase = "open";
          show({ submitting: false, status: statusBefore });
          if (canSave() && dirty()) scheduleSave();
          return { status: "failed", error };
        }
      }
      failures = 0;
      phase = "submitted";
      cancelTimer();
      stoppedBy = null;
      version = 0;
      latest = options.empty();
      saved = latest;
      store.clear();
      show({ content: latest, status: "idle", error: null, conflictCopy: null, submitting: false });
      return { status: "submitted", value };
    },

    /** The component is (again) on the page; React's strict mode unmounts and remounts it. */
    attach() {
      disposed = false;
    },

    /** The component unmounts: no timer may fire into it, a waiting submit gives up. */
    cancelTimers() {
      disposed = true;
      cancelTimer();
      submitWait?.resume(false);
    },
  };
}

export type Autosave<C> = ReturnType<typeof createAutosave<C>>;
