import type { Metadata } from "next";
import { StatusBadge } from "@/components/programs-editor/StatusBadge";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Coach" };

export default async function CoachHome() {
  const user = await requireRole(COACH_ROLES, "/coach");
  const programs = await (await api()).programs.list();
  const mine = programs.filter((p) => p.author.id === user.id);
  return (
    <>
      <PageHeader
        title={`Welcome, ${user.name?.split(" ")[0] ?? "coach"}`}
        lead="Your programs and how your members are doing — counts and rhythm only, never their private answers."
        actions={
          <Link href="/coach/programs" className={buttonClass("primary")}>
            Author programs
          </Link>
        }
      />
      {mine.length === 0 ? (
        <EmptyState title="No programs yet">
          <Link href="/coach/programs" className="font-semibold text-brand underline">
            Create your first program
          </Link>{" "}
          and publish it when it is complete.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2">
          {mine.map((p) => (
            <li key={p.id} className={cardClass}>
              <div className="flex flex-wrap items-center gap-2">
                <h2 className="font-serif text-xl">{p.title}</h2>
                <StatusBadge status={p.status} />
              </div>
              <p className="mt-1 text-sm text-muted">
                {p._count.enrolments} enrolled · {p._count.modules}{" "}
                {p._count.modules === 1 ? "module" : "modules"}
              </p>
              <p className="mt-4 flex flex-wrap gap-2">
                <Link href={`/coach/progress/${p.id}`} className={buttonClass("primary")}>
                  Progress <span className="sr-only">of {p.title}</span>
                </Link>
                <Link href={`/coach/programs/${p.id}`} className={buttonClass("secondary")}>
                  Edit <span className="sr-only">{p.title}</span>
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
