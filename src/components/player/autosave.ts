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

/**
 * One exercise's autosave. Saves carry the version they started from, one at a time; a save
 * starts only while the member is answering ("open"). Submitting closes that door first, waits
 * for the one save already on its way, and then sends the pass; after a recorded pass nothing of
 * that pass is saved again (the server deleted the draft: a late save would either resurrect it
 * or, carrying the old version, be refused as a false "changed in another tab").
 */
export function createAutosave<C>(options: AutosaveOptions<C>) {
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  const retryMs = options.retryMs ?? RETRY_MS;
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
  const canSave = () => phase === "open" && stoppedBy === null;
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

  /** One request; true when the server took it. */
  async function saveOnce(): Promise<boolean> {
    const sent = latest;
    show({ status: "saving" });
    let result: SaveResult;
    try {
      result = await options.save(sent, version);
    } catch {
      result = { ok: false, reason: "unreachable" };
    }
    if (result.ok) {
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
      show({ status: "offline" });
      if (canSave()) schedule(retryMs);
    }
    return false;
  }

  async function flush(): Promise<void> {
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
      if (canSave()) scheduleSave();
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
     * is called; a save already on its way lands first. On success the draft is gone for good:
     * device copy cleared, form empty. On failure autosave picks up where it was.
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
      let value: R;
      try {
        value = await send(latest);
      } catch (error) {
        phase = "open";
        show({ submitting: false });
        if (canSave() && dirty()) scheduleSave();
        return { status: "failed", error };
      }
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

    /** The component unmounts: no timer may fire into it. */
    cancelTimers() {
      cancelTimer();
    },
  };
}

export type Autosave<C> = ReturnType<typeof createAutosave<C>>;
