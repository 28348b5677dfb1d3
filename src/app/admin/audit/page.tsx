import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass } from "@/components/ui/styles";
import { ADMIN_ROLES, requireRole } from "@/server/auth/guard";
import { notFoundOnBadInput } from "@/server/trpc/not-found";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<{ cursor?: string }> };

export default async function AuditPage({ searchParams }: Props) {
  await requireRole(ADMIN_ROLES, "/admin/audit");
  const { cursor } = await searchParams;
  const { items, nextCursor } = await (await api()).admin.users
    .audit({ cursor, limit: 50 })
    .catch(notFoundOnBadInput);
  return (
    <>
      <PageHeader
        title="Audit log"
        lead="Admin and coach actions, newest first. Entries cannot be edited."
      />
      {items.length === 0 ? (
        <EmptyState title="Nothing recorded yet">
          Role changes, deactivations, refunds and comps will appear here.
        </EmptyState>
      ) : (
        <ol className="divide-y divide-line rounded-2xl border border-line bg-card">
          {items.map((entry) => (
            <li
              key={entry.id}
              className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:justify-between"
            >
              <span className="min-w-0">
                <span className="font-semibold">
                  {entry.actor?.name ?? entry.actor?.email ?? "system"}
                </span>{" "}
                <span className="text-muted">{entry.action.replace(/[._]/g, " ")}</span>{" "}
                {entry.targetUser && <span className="break-all">{entry.targetUser.email}</span>}
                {Object.keys(entry.details as object).length > 0 && (
                  <span className="block text-sm break-all text-muted">
                    {JSON.stringify(entry.details)}
                  </span>
                )}
              </span>
              <time dateTime={entry.createdAt.toISOString()} className="text-sm text-muted">
                {entry.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC
              </time>
            </li>
          ))}
        </ol>
      )}
      {nextCursor && (
        <p className="mt-4">
          <Link href={`/admin/audit?cursor=${nextCursor}`} className={buttonClass("secondary")}>
            Older entries
          </Link>
        </p>
      )}
    </>
  );
}
