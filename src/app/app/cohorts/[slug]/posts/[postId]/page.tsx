import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CommentContent } from "@/components/cohorts/CommentContent";
import { Avatar } from "@/components/ui/Avatar";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Comments" };

type Props = {
  params: Promise<{ slug: string; postId: string }>;
  searchParams: Promise<{ page?: string | string[] }>;
};

/** Every comment of one post, oldest first, 100 a page: the feed shows only the latest 20. */
export default async function PostCommentsPage({ params, searchParams }: Props) {
  const { slug, postId } = await params;
  const q = await searchParams;
  const page = typeof q.page === "string" && /^\d{1,4}$/.test(q.page) ? Number(q.page) : 0;
  const user = await requireUser(`/app/cohorts/${slug}/posts/${postId}`);
  const data = await (await api()).cohorts
    .comments({ postId: postId.slice(0, 64), page })
    .catch((error) => {
      if (
        error instanceof TRPCError &&
        (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")
      )
        notFound();
      throw error;
    });
  const base = `/app/cohorts/${slug}/posts/${data.post.id}`;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/app/cohorts/${slug}`} className="text-brand underline">
          Back to the cohort
        </Link>
      </p>
      <PageHeader title="All comments" lead="Oldest first." />
      {data.comments.length === 0 ? (
        <p className="text-muted">No comments on this page.</p>
      ) : (
        <ol className="space-y-2">
          {data.comments.map((c) => (
            <li key={c.id} className={`${cardClass} flex gap-3`}>
              <Avatar name={c.author.name} image={c.author.image} />
              <div className="min-w-0">
                <CommentContent
                  id={c.id}
                  author={c.author.name}
                  at={[
                    new Date(c.createdAt).toISOString(),
                    formatDateTime(c.createdAt, user.timeZone),
                  ]}
                  canDelete={c.mine || data.coach}
                  bodyHtml={c.bodyHtml}
                />
              </div>
            </li>
          ))}
        </ol>
      )}
      {(page > 0 || data.hasMore) && (
        <nav aria-label="Pages of comments" className="mt-4 flex flex-wrap gap-3">
          {page > 0 && (
            <Link href={`${base}?page=${page - 1}`} className={buttonClass("secondary")}>
              Earlier<span className="sr-only"> comments</span>
            </Link>
          )}
          {data.hasMore && (
            <Link href={`${base}?page=${page + 1}`} className={buttonClass("secondary")}>
              Later<span className="sr-only"> comments</span>
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
