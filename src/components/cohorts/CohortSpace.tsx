import type { inferRouterOutputs } from "@trpc/server";
import Link from "@/components/ui/Link";
import { formatDateTime } from "@/lib/format-date";
import type { AppRouter } from "@/server/trpc/root";
import { SharedSnapshot } from "../journal/SharedSnapshot";
import { EmptyState } from "../ui/EmptyState";
import { buttonClass, cardClass } from "../ui/styles";
import { type ListedPost, PostList } from "./PostList";
import { LiveFeed, PostComposer } from "./SpaceActions";

type Feed = inferRouterOutputs<AppRouter>["cohorts"]["feed"];
type Post = Feed["posts"][number];

/**
 * A post as the list shows it: times worded in the reader's zone here, and a shared answer
 * rendered here too (its fields come from server modules), handed to the list as a slot.
 */
function compactPost(p: Post, zone: string): ListedPost {
  return {
    id: p.id,
    kind: p.kind,
    author: p.author,
    at: [new Date(p.createdAt).toISOString(), formatDateTime(p.createdAt, zone)],
    pinned: p.pinned,
    hidden: p.hidden,
    reports: p.reports,
    mine: p.mine,
    bodyHtml: p.bodyHtml,
    shared: p.shared ? <SharedSnapshot snapshot={p.shared} headingId={`shared-${p.id}`} /> : null,
    commentCount: p.commentCount,
    comments: p.comments.map((c) => ({
      id: c.id,
      author: c.author.name,
      at: [new Date(c.createdAt).toISOString(), formatDateTime(c.createdAt, zone)],
      mine: c.mine,
      bodyHtml: c.bodyHtml,
    })),
    reactions: p.reactions,
  };
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
        <PostList
          posts={[...space.pinned, ...space.posts].map((p) => compactPost(p, props.zone))}
          coach={space.role === "coach"}
          finished={space.finished}
          slug={props.slug}
        />
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
