import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Avatar } from "@/components/ui/Avatar";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "People" };

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ page?: string | string[] }>;
};

function Person(props: { name: string; image: string | null; bio: string; tag?: string }) {
  return (
    <li className={`${cardClass} flex gap-3`}>
      <Avatar name={props.name} image={props.image} size="lg" />
      <div className="min-w-0">
        <p className="font-semibold break-words">
          {props.name}
          {props.tag && <span className="pill ml-2">{props.tag}</span>}
        </p>
        {props.bio ? (
          <p className="mt-1 text-sm whitespace-pre-line break-words">{props.bio}</p>
        ) : (
          <p className="mt-1 text-sm text-muted">No bio yet.</p>
        )}
      </div>
    </li>
  );
}

/** The cohort's people: names, pictures and a few words each. Never an email address. */
export default async function PeoplePage({ params, searchParams }: Props) {
  const { slug } = await params;
  const q = await searchParams;
  const page = typeof q.page === "string" && /^\d{1,4}$/.test(q.page) ? Number(q.page) : 0;
  await requireUser(`/app/cohorts/${slug}/people`);
  const caller = await api();
  const data = await caller.cohorts
    .home({ slug: slug.slice(0, 80) })
    .then(async (c) => ({ c, people: await caller.cohorts.members({ cohortId: c.id, page }) }))
    .catch((error) => {
      if (
        error instanceof TRPCError &&
        (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")
      )
        notFound();
      throw error;
    });
  const { c, people } = data;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/app/cohorts/${c.slug}`} className="text-brand underline">
          {c.name}
        </Link>
      </p>
      <PageHeader
        title="People"
        lead={`${c.members} ${c.members === 1 ? "member" : "members"} and the coaches of ${c.name}.`}
      />
      {people.coaches.length > 0 && (
        <section aria-labelledby="coaches-heading" className="mb-6">
          <h2 id="coaches-heading" className="mb-3 font-serif text-xl">
            Coaches
          </h2>
          <ul className="grid gap-3 md:grid-cols-2">
            {people.coaches.map((p) => (
              <Person key={p.id} {...p} tag="Coach" />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="mb-3 font-serif text-xl">
          Members
        </h2>
        {people.members.length === 0 ? (
          <p className="text-muted">Nobody on this page.</p>
        ) : (
          <ul className="grid gap-3 md:grid-cols-2">
            {people.members.map((p) => (
              <Person key={p.id} {...p} />
            ))}
          </ul>
        )}
      </section>
      {(page > 0 || people.hasMore) && (
        <nav aria-label="Pages of people" className="mt-4 flex flex-wrap gap-3">
          {page > 0 && (
            <Link
              href={`/app/cohorts/${c.slug}/people?page=${page - 1}`}
              className={buttonClass("secondary")}
            >
              Previous<span className="sr-only"> people</span>
            </Link>
          )}
          {people.hasMore && (
            <Link
              href={`/app/cohorts/${c.slug}/people?page=${page + 1}`}
              className={buttonClass("secondary")}
            >
              Next<span className="sr-only"> people</span>
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
