"use client";

import { TRPCClientError } from "@trpc/client";
import { useCallback, useEffect, useState } from "react";
import { newAttempt } from "@/lib/attempt";
import { transientFailure } from "@/lib/transient";
import { formErrors } from "@/lib/trpc-errors";
import { trpc } from "../providers/trpc-client";
import {
  type AutosaveStatus,
  type AutosaveView,
  createAutosave,
  type DeviceCopy,
  type SaveResult,
  shouldRestore,
} from "./autosave";

export type DraftStatus = AutosaveStatus;
type Content = Record<string, unknown>;
type ServerDraft = { content: unknown; version: number; updatedAt: Date | string } | null;

function codeOf(error: unknown): string | undefined {
  return error instanceof TRPCClientError
    ? (error.data as { code?: string } | undefined)?.code
    : undefined;
}

/**
 * A refusal the member can act on stops autosave; an outage (no answer, the database away, an
 * unexpected server failure) is retried by itself after the wait the server asked for.
 */
function toResult(error: unknown): SaveResult {
  const transient = transientFailure(error);
  if (transient) return { ok: false, reason: "unreachable", waitMs: transient.waitMs };
  const code = codeOf(error);
  if (code === "CONFLICT") return { ok: false, reason: "conflict" };
  if (code) return { ok: false, reason: "rejected", message: formErrors(error).message };
  return { ok: false, reason: "unreachable" };
}

function readCopy(key: string): DeviceCopy<Content> | null {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null") as DeviceCopy<Content> | null;
  } catch {
    return null;
  }
}

/**
 * Autosave for one exercise (the scheduling is in ./autosave): debounced writes with the
 * version last seen (a stale tab gets CONFLICT and stops, never overwrites), a localStorage copy
 * so a reload while offline restores the text, retries when the network comes back, and a
 * submit that no save can follow. The server draft wins on load unless the local copy is newer
 * and was never synced.
 */
export function useDraft(
  exerciseId: string,
  server: ServerDraft,
  empty: () => Content,
  enabled: boolean,
) {
  const key = `kindred:draft:${exerciseId}`;
  const [view, setView] = useState<AutosaveView<Content> | null>(null);
  const [autosave] = useState(() => {
    // This page's identity as a writer of the draft, and its count of saves: after an outage
    // that swallowed a save's answer, the server tells this page's next save from another tab's.
    const writer = { id: newAttempt(), seq: 0 };
    return createAutosave<Content>({
      content: (server?.content as Content) ?? empty(),
      version: server?.version ?? 0,
      empty,
      save: (content, baseVersion) =>
        trpc.player.saveDraft
          .mutate({
            exerciseId,
            content,
            baseVersion,
            writer: { id: writer.id, seq: ++writer.seq },
          })
          .then((saved): SaveResult => ({ ok: true, version: saved.version }), toResult),
      timers: {
        set: (run, ms) => setTimeout(run, ms),
        clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      },
      isOnline: () => navigator.onLine,
      // The submit carries a submission id, so sending it again cannot record a second pass.
      retryable: transientFailure,
      store: {
        write: (copy) => {
          try {
            localStorage.setItem(key, JSON.stringify({ ...copy, savedAt: Date.now() }));
          } catch {
            // Private mode or a full quota: the server copy still works.
          }
        },
        clear: () => {
          try {
            localStorage.removeItem(key);
          } catch {}
        },
      },
      onChange: setView,
    });
  });

  // Restore an unsynced device copy that is newer than the server's draft (see shouldRestore);
  // otherwise drop it. Runs once per exercise after mount: localStorage is not on the server.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per exercise on mount
  useEffect(() => {
    autosave.attach();
    const local = readCopy(key);
    if (enabled && shouldRestore(local, server)) {
      void autosave.restore(local.content, local.baseVersion);
    } else if (local) {
      localStorage.removeItem(key);
    }
    const online = () => void autosave.flush();
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("online", online);
      autosave.cancelTimers();
    };
  }, [key]);

  /** The stale tab takes what the other tab saved. */
  const loadLatest = useCallback(async () => {
    const draft = await trpc.player.draft.query({ exerciseId });
    autosave.load((draft?.content as Content) ?? empty(), draft?.version ?? 0);
  }, [autosave, empty, exerciseId]);

  const current = view ?? autosave.view;
  return {
    ...current,
    change: autosave.edit,
    submit: autosave.submit,
    loadLatest,
  };
}
