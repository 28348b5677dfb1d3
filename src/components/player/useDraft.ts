"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useCallback, useEffect, useRef, useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { useTRPC } from "../providers/TRPCProvider";

export type DraftStatus =
  | "idle"
  | "pending"
  | "saving"
  | "saved"
  | "offline"
  | "conflict"
  | "error";
type LocalCopy = {
  content: Record<string, unknown>;
  baseVersion: number;
  savedAt: number;
  synced: boolean;
};
type ServerDraft = { content: unknown; version: number; updatedAt: Date | string } | null;

const DEBOUNCE_MS = 800;
const RETRY_MS = 5000;

function codeOf(error: unknown): string | undefined {
  return error instanceof TRPCClientError
    ? (error.data as { code?: string } | undefined)?.code
    : undefined;
}

/**
 * Autosave for one exercise: debounced writes with the version last seen (a stale tab gets
 * CONFLICT and stops, never overwrites), a localStorage copy so a reload while offline restores
 * the text, and retries when the network comes back. The server draft wins on load unless the
 * local copy is newer and was never synced.
 */
export function useDraft(
  exerciseId: string,
  server: ServerDraft,
  empty: () => Record<string, unknown>,
  enabled: boolean,
) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { mutateAsync } = useMutation(trpc.player.saveDraft.mutationOptions());
  const key = `kindred:draft:${exerciseId}`;
  const [content, setContent] = useState<Record<string, unknown>>(
    () => (server?.content as Record<string, unknown>) ?? empty(),
  );
  const [status, setStatus] = useState<DraftStatus>(server ? "saved" : "idle");
  const [error, setError] = useState<string | null>(null);
  const [conflictCopy, setConflictCopy] = useState<Record<string, unknown> | null>(null);
  const version = useRef(server?.version ?? 0);
  const latest = useRef(content);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const stopped = useRef(false);

  const writeLocal = useCallback(
    (synced: boolean) => {
      try {
        const copy: LocalCopy = {
          content: latest.current,
          baseVersion: version.current,
          savedAt: Date.now(),
          synced,
        };
        localStorage.setItem(key, JSON.stringify(copy));
      } catch {
        // Private mode or a full quota: the server copy still works.
      }
    },
    [key],
  );

  const flush = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    if (stopped.current || !enabled) return;
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    if (!navigator.onLine) {
      setStatus("offline");
      return;
    }
    const sent = latest.current;
    setStatus("saving");
    const run = (async () => {
      try {
        const saved = await mutateAsync({
          exerciseId,
          content: sent,
          baseVersion: version.current,
        });
        version.current = saved.version;
        if (latest.current === sent) {
          writeLocal(true);
          setStatus("saved");
          setError(null);
        } else again.current = true;
      } catch (e) {
        const code = codeOf(e);
        if (code === "CONFLICT") {
          stopped.current = true;
          setConflictCopy(latest.current);
          setStatus("conflict");
        } else if (code && code !== "INTERNAL_SERVER_ERROR") {
          stopped.current = true;
          setError(formErrors(e).message);
          setStatus("error");
        } else {
          setStatus("offline");
          timer.current = setTimeout(() => void flush(), RETRY_MS);
        }
      }
    })();
    inFlight.current = run;
    await run;
    inFlight.current = null;
    if (again.current && !stopped.current) {
      again.current = false;
      await flush();
    }
  }, [enabled, exerciseId, mutateAsync, writeLocal]);

  // Restore an unsynced local copy that is newer than the server's draft and was typed on the
  // version the server still has. A copy typed on an older version is a stale tab's refused
  // text: restoring it would show it in the up-to-date tab and report a conflict there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per exercise on mount
  useEffect(() => {
    let local: LocalCopy | null = null;
    try {
      local = JSON.parse(localStorage.getItem(key) ?? "null") as LocalCopy | null;
    } catch {
      local = null;
    }
    const serverAt = server ? new Date(server.updatedAt).getTime() : 0;
    const onServerVersion = local?.baseVersion === (server?.version ?? 0);
    if (enabled && local && onServerVersion && !local.synced && local.savedAt > serverAt) {
      latest.current = local.content;
      version.current = local.baseVersion;
      setContent(local.content);
      setStatus("pending");
      void flush();
    } else if (local) {
      localStorage.removeItem(key);
    }
    const online = () => {
      if (!stopped.current) void flush();
    };
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("online", online);
      clearTimeout(timer.current);
    };
  }, [key]);

  const change = useCallback(
    (next: Record<string, unknown>) => {
      latest.current = next;
      setContent(next);
      writeLocal(false);
      if (stopped.current) return;
      setStatus(navigator.onLine ? "pending" : "offline");
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), DEBOUNCE_MS);
    },
    [flush, writeLocal],
  );

  /** Before submitting: no autosave may land after the pass (it would resurrect the draft). */
  const settle = useCallback(async () => {
    clearTimeout(timer.current);
    if (inFlight.current) await inFlight.current;
  }, []);

  /** After a pass was recorded: the server deleted the draft. */
  const reset = useCallback(() => {
    clearTimeout(timer.current);
    stopped.current = false;
    version.current = 0;
    latest.current = empty();
    setContent(latest.current);
    setStatus("idle");
    setConflictCopy(null);
    try {
      localStorage.removeItem(key);
    } catch {}
  }, [empty, key]);

  /** The stale tab takes what the other tab saved. */
  const loadLatest = useCallback(async () => {
    const draft = await queryClient.fetchQuery({
      ...trpc.player.draft.queryOptions({ exerciseId }),
      staleTime: 0,
    });
    version.current = draft?.version ?? 0;
    latest.current = (draft?.content as Record<string, unknown>) ?? empty();
    setContent(latest.current);
    stopped.current = false;
    writeLocal(true);
    setStatus(draft ? "saved" : "idle");
  }, [empty, exerciseId, queryClient, trpc, writeLocal]);

  return { content, change, status, error, conflictCopy, settle, reset, loadLatest };
}
