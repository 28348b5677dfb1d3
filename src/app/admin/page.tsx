import type { Metadata } from "next";
import Link from "next/link";
import { UserActions } from "@/components/admin/UserActions";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass } from "@/components/ui/styles";
import { ADMIN_ROLES, requireRole } from "@/server/auth/guard";
import { notFoundOnBadInput } from "@/server/trpc/not-found";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Users" };

type Props = { searchParams: Promise<{ q?: string; cursor?: string }> };

export default async function AdminUsersPage({ searchParams }: Props) {
  const me = await requireRole(ADMIN_ROLES, "/admin");
  const { q, cursor } = await searchParams;
  const { items, nextCursor } = await (await api()).admin.users
    .list({ query: q?.slice(0, 200), cursor, limit: 50 })
    .catch(notFoundOnBadInput);
  return (
    <>
      <PageHeader
        title="Users"
        lead="Change roles and deactivate accounts. Every change is audited."
      />
      <form
        action="/admin"
        className="mb-4 flex flex-wrap items-end gap-2"
        aria-label="Search users"
      >
        <div className="min-w-60 flex-1">
          <label htmlFor="q" className="block text-sm font-semibold">
            Search by name or email
          </label>
          <input
            id="q"
            name="q"
            defaultValue={q}
            className="mt-1 block min-h-11 w-full rounded-lg border border-line bg-white px-3"
          />
        </div>
        <button type="submit" className={buttonClass("secondary")}>
          Search
        </button>
      </form>
      {items.length === 0 ? (
        <EmptyState title="No users match">Try another name or address.</EmptyState>
      ) : (
        <ul
          aria-label="Users"
          className="divide-y divide-line rounded-2xl border border-line bg-card"
        >
          {items.map((u) => (
            <li
              key={u.id}
              className="flex flex-col gap-3 px-4 py-4 lg:flex-row lg:items-center lg:justify-between"
            >
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2">
                  <span className="font-semibold">{u.name ?? "No name yet"}</span>
                  {u.deactivatedAt ? (
                    <span className="rounded-full bg-danger-soft px-2 py-0.5 text-xs text-danger">
                      Deactivated
                    </span>
                  ) : (
                    <span className="pill">Active</span>
                  )}
                </p>
                <p className="break-all text-sm text-muted">{u.email}</p>
              </div>
              <UserActions
                user={{
                  id: u.id,
                  email: u.email,
                  role: u.role,
                  deactivated: Boolean(u.deactivatedAt),
                }}
                isSelf={u.id === me.id}
              />
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <p className="mt-4">
          <Link
            href={`/admin?${new URLSearchParams({ ...(q ? { q } : {}), cursor: nextCursor })}`}
            className={buttonClass("secondary")}
          >
            Next page
          </Link>
        </p>
      )}
    </>
  );
}
