"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc } from "../providers/trpc-client";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";

/**
 * The cohort space's interactive parts. What the feed shows is rendered on the server; these
 * send one mutation each and refresh the page, and `LiveFeed` refreshes it when someone else
 * posts, comments or reacts (Server-Sent Events through a tRPC subscription).
 */

/** Keeps the page current: each event of this cohort re-reads it (coalesced, at most 2 a second). */
export function LiveFeed(props: { cohortId: string }) {
  const router = useRouter();
  const [state, setState] = useState<"connecting" | "live" | "offline">("connecting");
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const sub = trpc.cohorts.live.subscribe(
      { cohortId: props.cohortId },
      {
        onStarted: () => setState("live"),
        onData: () => {
          timer ??= setTimeout(() => {
            timer = null;
            router.refresh();
          }, 500);
        },
        onError: () => setState("offline"),
        onConnectionStateChange: (s) => {
          if (s.state === "pending") setState("live");
          if (s.state === "connecting" && s.error) setState("offline");
        },
      },
    );
    return () => {
      if (timer) clearTimeout(timer);
      sub.unsubscribe();
    };
  }, [props.cohortId, router]);
  return (
    <p className="text-xs text-muted" role="status" data-live={state}>
      {state === "live"
        ? "New posts appear here as they are written."
        : state === "offline"
          ? "Reconnecting… reload the page to see new posts."
          : ""}
    </p>
  );
}

function useAction() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError("");
    setFields({});
    try {
      await action();
      router.refresh();
      return true;
    } catch (e) {
      const { message, fields: f } = formErrors(e);
      setFields(f);
      setError(Object.keys(f).length ? "" : message);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, fields, run };
}

/** Writes a post; coaches may make it a pinned announcement. The draft survives a refresh. */
export function PostComposer(props: { cohortId: string; coach: boolean }) {
  const uid = useId();
  const key = `kindred:post-draft:${props.cohortId}`;
  const [body, setBody] = useState("");
  const [announcement, setAnnouncement] = useState(false);
  const loaded = useRef(false);
  const action = useAction();
  useEffect(() => {
    if (loaded.current) return;
    loaded.current = true;
    setBody(window.localStorage.getItem(key) ?? "");
  }, [key]);
  const change = (value: string) => {
    setBody(value);
    if (value) window.localStorage.setItem(key, value);
    else window.localStorage.removeItem(key);
  };
  return (
    <form
      noValidate
      aria-label="Write a post"
      className="space-y-3"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await action.run(() =>
          trpc.cohorts.post.mutate({ cohortId: props.cohortId, body, announcement }),
        );
        if (ok) change("");
      }}
    >
      <TextAreaField
        id={`${uid}-body`}
        label="Share with the group"
        hint="Markdown works: **bold**, *italic*, lists, links."
        error={action.fields.body}
        rows={3}
        maxLength={5000}
        value={body}
        onChange={change}
      />
      {props.coach && (
        <label className="flex min-h-11 items-center gap-3 text-sm font-semibold">
          <input
            type="checkbox"
            className="size-5 accent-brand"
            checked={announcement}
            onChange={(e) => setAnnouncement(e.target.checked)}
          />
          Pin as an announcement
        </label>
      )}
      {action.error && (
        <p role="alert" className="text-sm font-medium text-danger">
          {action.error}
        </p>
      )}
      <button type="submit" className={buttonClass("primary")} disabled={action.busy}>
        {action.busy ? "Posting…" : "Post"}
      </button>
    </form>
  );
}

const REACTION_LABEL = { HEART: "♥ Love", THANKS: "Thanks", SAME: "Me too" } as const;

/** Reactions, comment form and the post's menu (delete, report, hide, pin), for one post. */
export function PostActions(props: {
  postId: string;
  reactions: { kind: keyof typeof REACTION_LABEL; count: number; mine: boolean }[];
  mine: boolean;
  coach: boolean;
  hidden: boolean;
  pinned: boolean;
  readOnly: boolean;
}) {
  const uid = useId();
  const action = useAction();
  const [comment, setComment] = useState("");
  const [reporting, setReporting] = useState(false);
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState("");
  const id = props.postId;
  return (
    <div className="mt-3 space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        {props.reactions.map((r) => (
          <button
            key={r.kind}
            type="button"
            className={`chip ${r.mine ? "chip-keep" : ""}`}
            aria-pressed={r.mine}
            disabled={props.readOnly || action.busy}
            onClick={() =>
              action.run(() => trpc.cohorts.react.mutate({ postId: id, kind: r.kind }))
            }
          >
            {REACTION_LABEL[r.kind]}
            {r.count > 0 && <span className="ml-1 font-semibold">{r.count}</span>}
          </button>
        ))}
        <span className="grow" />
        {props.mine && (
          <button
            type="button"
            className={buttonClass("ghost")}
            disabled={action.busy}
            onClick={() => action.run(() => trpc.cohorts.deletePost.mutate({ postId: id }))}
          >
            Delete
          </button>
        )}
        {!props.mine && !props.coach && !reporting && (
          <button type="button" className={buttonClass("ghost")} onClick={() => setReporting(true)}>
            Report
          </button>
        )}
        {props.coach && (
          <>
            <button
              type="button"
              className={buttonClass("ghost")}
              disabled={action.busy}
              onClick={() =>
                action.run(() =>
                  trpc.cohorts.moderate.mutate({
                    postId: id,
                    action: props.hidden ? "unhide" : "hide",
                  }),
                )
              }
            >
              {props.hidden ? "Show again" : "Hide"}
            </button>
            <button
              type="button"
              className={buttonClass("ghost")}
              disabled={action.busy}
              onClick={() =>
                action.run(() =>
                  trpc.cohorts.moderate.mutate({
                    postId: id,
                    action: props.pinned ? "unpin" : "pin",
                  }),
                )
              }
            >
              {props.pinned ? "Unpin" : "Pin"}
            </button>
          </>
        )}
      </div>
      {reporting && (
        <form
          noValidate
          aria-label="Report this post"
          className="space-y-2 rounded-xl border border-line p-3"
          onSubmit={async (e) => {
            e.preventDefault();
            const ok = await action.run(() => trpc.cohorts.report.mutate({ postId: id, reason }));
            if (ok) {
              setReporting(false);
              setNotice("Thank you. The cohort's coaches will look at it.");
            }
          }}
        >
          <TextAreaField
            id={`${uid}-reason`}
            label="What is wrong with it?"
            hint="Optional. Only the cohort's coaches see reports."
            error={action.fields.reason}
            rows={2}
            maxLength={500}
            value={reason}
            onChange={setReason}
          />
          <div className="flex gap-2">
            <button type="submit" className={buttonClass("danger")} disabled={action.busy}>
              Send report
            </button>
            <button
              type="button"
              className={buttonClass("ghost")}
              onClick={() => setReporting(false)}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      {!props.readOnly && !props.hidden && (
        <form
          noValidate
          aria-label="Comment on this post"
          className="flex flex-wrap items-end gap-2"
          onSubmit={async (e) => {
            e.preventDefault();
            const ok = await action.run(() =>
              trpc.cohorts.comment.mutate({ postId: id, body: comment }),
            );
            if (ok) setComment("");
          }}
        >
          <label htmlFor={`${uid}-comment`} className="sr-only">
            Your comment
          </label>
          <input
            id={`${uid}-comment`}
            placeholder="Write a comment"
            maxLength={2000}
            value={comment}
            aria-invalid={action.fields.body ? true : undefined}
            aria-describedby={action.fields.body ? `${uid}-comment-error` : undefined}
            onChange={(e) => setComment(e.target.value)}
            className={`${inputClass(Boolean(action.fields.body))} min-w-0 flex-1`}
          />
          <button type="submit" className={buttonClass("secondary")} disabled={action.busy}>
            Comment
          </button>
          {action.fields.body && (
            <p id={`${uid}-comment-error`} className="w-full text-sm font-medium text-danger">
              {action.fields.body}
            </p>
          )}
        </form>
      )}
      <p role="status" className="text-sm text-brand-dark">
        {notice}
      </p>
      {action.error && (
        <p role="alert" className="text-sm font-medium text-danger">
          {action.error}
        </p>
      )}
    </div>
  );
}

/** The author (or a coach) removes a comment. */
export function DeleteComment(props: { commentId: string }) {
  const action = useAction();
  return (
    <button
      type="button"
      className="text-xs text-muted underline"
      disabled={action.busy}
      onClick={() =>
        action.run(() => trpc.cohorts.deleteComment.mutate({ commentId: props.commentId }))
      }
    >
      Remove<span className="sr-only"> this comment</span>
    </button>
  );
}
