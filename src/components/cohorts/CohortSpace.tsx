import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { formatDateTime } from "@/lib/format-date";
import type { AppRouter } from "@/server/trpc/root";
import { SharedSnapshot } from "../journal/SharedSnapshot";
import { Avatar } from "../ui/Avatar";
import { EmptyState } from "../ui/EmptyState";
import { buttonClass, cardClass } from "../ui/styles";
import { DeleteComment, LiveFeed, PostActions, PostComposer } from "./SpaceActions";

type Feed = inferRouterOutputs<AppRouter>["cohorts"]["feed"];
type Post = Feed["posts"][number];

function PostCard(props: { post: Post; feed: Feed; zone: string; slug: string }) {
  const p = props.post;
  const slug = props.slug;
  const coach = props.feed.role === "coach";
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
          <time dateTime={new Date(p.createdAt).toISOString()} className="text-sm text-muted">
            {formatDateTime(p.createdAt, props.zone)}
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
          <div className="mt-3 rounded-xl border border-line bg-paper p-4">
            <SharedSnapshot snapshot={p.shared} headingId={`shared-${p.id}`} />
          </div>
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
                  <p className="flex flex-wrap items-baseline gap-2">
                    <span className="font-semibold">{c.author.name}</span>
                    <time
                      dateTime={new Date(c.createdAt).toISOString()}
                      className="text-xs text-muted"
                    >
                      {formatDateTime(c.createdAt, props.zone)}
                    </time>
                    {(c.mine || coach) && !props.feed.finished && (
                      <DeleteComment commentId={c.id} />
                    )}
                  </p>
                  {/* biome-ignore lint/security/noDangerouslySetInnerHtml: rendered by src/lib/markdown.ts (raw HTML off, allow-listed output) */}
                  <div className="md" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
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
          readOnly={props.feed.finished}
        />
      </article>
    </li>
  );
}

/** The cohort's space: live feed, composer, pinned posts, then posts newest first. */
export function CohortSpace(props: { cohortId: string; space: Feed; zone: string; slug: string }) {
  const { space } = props;
  const empty = space.pinned.length === 0 && space.posts.length === 0;
  return (
    <section aria-labelledby="space-heading" className="space-y-4">
      <div className={cardClass}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="space-heading" className="font-serif text-xl">
            The group's space
          </h2>
          {!space.finished && <LiveFeed cohortId={props.cohortId} />}
        </div>
        <p className="mb-3 mt-1 text-sm text-muted">
          What you post here is read by the cohort's members and coaches. Your journal stays
          private: an answer appears here only when you share it.
        </p>
        {space.finished ? (
          <p className="text-sm text-muted">This cohort has finished; its space is read-only.</p>
        ) : (
          <PostComposer cohortId={props.cohortId} coach={space.role === "coach"} />
        )}
      </div>
      {empty ? (
        <EmptyState title="Nothing here yet">Be the first to say hello.</EmptyState>
      ) : (
        <ol className="space-y-4" aria-label="Posts">
          {[...space.pinned, ...space.posts].map((p) => (
            <PostCard key={p.id} post={p} feed={space} zone={props.zone} slug={props.slug} />
          ))}
        </ol>
      )}
      {space.next && (
        <Link
          href={`/app/cohorts/${props.slug}?before=${new Date(space.next.at).getTime()}_${space.next.id}#space-heading`}
          className={buttonClass("secondary")}
        >
          Older posts
        </Link>
      )}
    </section>
  );
}
