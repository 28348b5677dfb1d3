"use client";

import type { ReactNode } from "react";
import Link from "@/components/ui/Link";
import { Avatar } from "../ui/Avatar";
import { cardClass } from "../ui/styles";
import { CommentContent } from "./CommentContent";
import { PostActions } from "./SpaceActions";

type Reaction = Parameters<typeof PostActions>[0]["reactions"][number];

/** One post of a cohort's space, as CohortSpace hands it over: times already worded. */
export type ListedPost = {
  id: string;
  kind: "POST" | "ANNOUNCEMENT" | "SHARED_ANSWER";
  author: { name: string; image: string | null };
  /** The instant (ISO) and how the reader's zone words it. */
  at: [iso: string, label: string];
  pinned: boolean;
  hidden: boolean;
  reports: number;
  mine: boolean;
  /** Rendered by src/lib/markdown.ts (raw HTML off, allow-listed output). */
  bodyHtml: string;
  /** A shared answer, rendered on the server. */
  shared: ReactNode;
  commentCount: number;
  comments: {
    id: string;
    author: string;
    at: [iso: string, label: string];
    mine: boolean;
    bodyHtml: string;
  }[];
  reactions: Reaction[];
};

function PostCard(props: { post: ListedPost; coach: boolean; finished: boolean; slug: string }) {
  const p = props.post;
  const { coach, slug } = props;
  return (
    <li>
      <article
        aria-labelledby={`post-${p.id}`}
        className={`${cardClass} ${p.hidden ? "border-dashed opacity-80" : ""}`}
      >
        <header className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <Avatar name={p.author.name} image={p.author.image} />
          <h3 id={`post-${p.id}`} className="font-semibold">
            {p.author.name}
            <span className="sr-only">
              {p.kind === "SHARED_ANSWER" ? " shared an answer" : " wrote"}
            </span>
          </h3>
          <time dateTime={p.at[0]} className="text-sm text-muted">
            {p.at[1]}
          </time>
          {p.kind === "ANNOUNCEMENT" && <span className="pill">Announcement</span>}
          {p.pinned && p.kind !== "ANNOUNCEMENT" && <span className="pill">Pinned</span>}
          {p.hidden && (
            <span className="rounded-full bg-warn-soft px-2 py-0.5 text-xs font-semibold text-warn">
              {coach ? "Hidden from members" : "Hidden by a coach: only you see it"}
            </span>
          )}
          {coach && p.reports > 0 && (
            <span className="rounded-full bg-danger-soft px-2 py-0.5 text-xs font-semibold text-danger">
              Reported {p.reports === 1 ? "once" : `${p.reports} times`}
            </span>
          )}
        </header>
        {p.bodyHtml && (
          // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered by src/lib/markdown.ts (raw HTML off, allow-listed output)
          <div className="md mt-2" dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
        )}
        {p.shared && (
          <div className="mt-3 rounded-xl border border-line bg-paper p-4">{p.shared}</div>
        )}
        {p.comments.length > 0 && (
          <section aria-label="Comments" className="mt-3 border-t border-line pt-3">
            {p.commentCount > p.comments.length && (
              <p className="mb-2 text-xs text-muted">
                Showing the latest {p.comments.length} of {p.commentCount} comments.{" "}
                <Link href={`/app/cohorts/${slug}/posts/${p.id}`} className="text-brand underline">
                  See them all
                </Link>
              </p>
            )}
            <ul className="space-y-2">
              {p.comments.map((c) => (
                <li key={c.id} className="rounded-lg bg-paper px-3 py-2 text-sm">
                  <CommentContent
                    id={c.id}
                    author={c.author}
                    at={c.at}
                    canDelete={c.mine || coach}
                    bodyHtml={c.bodyHtml}
                  />
                </li>
              ))}
            </ul>
          </section>
        )}
        <PostActions
          postId={p.id}
          reactions={p.reactions}
          mine={p.mine}
          coach={coach}
          hidden={p.hidden}
          pinned={p.pinned}
          readOnly={props.finished}
        />
      </article>
    </li>
  );
}

/**
 * The posts of a cohort's space. A client component for the same reason as the roster's table
 * (RosterTable.tsx): each post reaches the browser once as data, instead of as HTML and again as
 * a server-rendered tree in the RSC payload.
 */
export function PostList(props: {
  posts: ListedPost[];
  coach: boolean;
  finished: boolean;
  slug: string;
}) {
  return (
    <ol className="space-y-4" aria-label="Posts">
      {props.posts.map((p) => (
        <PostCard
          key={p.id}
          post={p}
          coach={props.coach}
          finished={props.finished}
          slug={props.slug}
        />
      ))}
    </ol>
  );
}
