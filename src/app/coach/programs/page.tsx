import type { Metadata } from "next";
import { CatalogPositionForm } from "@/components/programs/CatalogPositionForm";
import { CreateProgramForm } from "@/components/programs-editor/CreateProgramForm";
import { StatusBadge } from "@/components/programs-editor/StatusBadge";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { cardClass } from "@/components/ui/styles";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Programs" };

export default async function CoachProgramsPage() {
  const me = await requireRole(COACH_ROLES, "/coach/programs");
  const programs = await (await api()).programs.list();
  return (
    <>
      <PageHeader
        title="Programs"
        lead={
          me.role === "ADMIN"
            ? "Every program of this practice. Drafts are visible only to their authors and admins. In the members' catalog, a lower catalog order comes first (ties: newest first)."
            : "Programs you author. Drafts are visible only to you and admins. In the members' catalog, a lower catalog order comes first (ties: newest first)."
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <section aria-labelledby="programs-heading">
          <h2 id="programs-heading" className="sr-only">
            Your programs
          </h2>
          {programs.length === 0 ? (
            <EmptyState title="No programs yet">
              Create your first program with the form: give it a title, then add modules, steps and
              exercises.
            </EmptyState>
          ) : (
            <ul className="space-y-3">
              {programs.map((p) => (
                <li key={p.id} className={cardClass}>
                  <div className="flex flex-wrap items-center gap-2">
                    <Link
                      href={`/coach/programs/${p.id}`}
                      className="font-serif text-lg text-brand-dark underline-offset-4 hover:underline"
                    >
                      {p.title}
                    </Link>
                    <StatusBadge status={p.status} />
                  </div>
                  <p className="mt-1 break-all text-sm text-muted">/{p.slug}</p>
                  {p.summary && <p className="mt-2 line-clamp-2 text-sm">{p.summary}</p>}
                  <p className="mt-2 text-sm text-muted">
                    {p._count.modules} {p._count.modules === 1 ? "module" : "modules"} ·{" "}
                    {p._count.enrolments} enrolled
                    {me.role === "ADMIN" && p.author.id !== me.id
                      ? ` · by ${p.author.name ?? p.author.email}`
                      : ""}
                  </p>
                  <div className="mt-3 border-t border-line pt-3">
                    <CatalogPositionForm id={p.id} title={p.title} position={p.catalogPosition} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="create-heading" className={`${cardClass} self-start`}>
          <h2 id="create-heading" className="mb-3 font-serif text-xl">
            New program
          </h2>
          <CreateProgramForm />
        </section>
      </div>
    </>
  );
}
