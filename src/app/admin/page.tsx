import type { Metadata } from "next";
import { UserActions } from "@/components/admin/UserActions";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { Pager } from "@/components/ui/Pager";
import { buttonClass, inputClass } from "@/components/ui/styles";
import { formatDate } from "@/lib/format-date";
import { ADMIN_ROLES, requireRole } from "@/server/auth/guard";
import { notFoundOnBadInput } from "@/server/trpc/not-found";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Users" };

type Params = { q?: string; role?: string; status?: string; cursor?: string };
type Props = { searchParams: Promise<Params> };

const ROLES = { MEMBER: "Members", COACH: "Coaches", ADMIN: "Admins" } as const;
const STATUSES = { active: "Active", deactivated: "Deactivated" } as const;

function pick<T extends string>(options: Record<T, string>, value: string | undefined) {
  return value && value in options ? (value as T) : undefined;
}

function href(params: Params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  const qs = query.toString();
  return `/admin${qs ? `?${qs}` : ""}`;
}

export default async function AdminUsersPage({ searchParams }: Props) {
  const me = await requireRole(ADMIN_ROLES, "/admin");
  const params = await searchParams;
  const q = params.q?.trim().slice(0, 200) || undefined;
  const role = pick(ROLES, params.role);
  const status = pick(STATUSES, params.status);
  const { items, nextCursor } = await (await api()).admin.users
    .list({ query: q, role, status, cursor: params.cursor, limit: 50 })
    .catch(notFoundOnBadInput);
  const filters = { q, role, status };
  const day = (at: Date) => formatDate(at, me.timeZone);
  return (
    <>
      <PageHeader
        title="Users"
        lead="Change roles and deactivate accounts. Every change is audited."
      />
      <form action="/admin" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Find users">
        <div className="min-w-60 flex-1">
          <label htmlFor="q" className="block text-sm font-semibold">
            Name or email contains
          </label>
          <input id="q" name="q" defaultValue={q} className={`${inputClass(false)} mt-1`} />
        </div>
        <Choice id="role" label="Role" value={role} options={ROLES} />
        <Choice id="status" label="Status" value={status} options={STATUSES} />
        <button type="submit" className={buttonClass("secondary")}>
          Show
        </button>
      </form>
      {items.length === 0 ? (
        <EmptyState title="No users match">
          Try another name or address, or{" "}
          <Link href="/admin" className="font-semibold text-brand underline">
            show everyone
          </Link>
          .
        </EmptyState>
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
                <p className="text-sm text-muted">
                  {u.role === "MEMBER" ? "Member" : u.role === "COACH" ? "Coach" : "Admin"} · joined{" "}
                  {day(u.createdAt)} · last active {u.lastActiveAt ? day(u.lastActiveAt) : "never"}
                </p>
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
      <Pager
        what="users"
        newest={params.cursor ? href(filters) : null}
        older={nextCursor ? href({ ...filters, cursor: nextCursor }) : null}
      />
    </>
  );
}

/** One filter of the list: a labelled select whose first option is "Any". */
function Choice(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: Record<string, string>;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-semibold">
        {props.label}
      </label>
      <select
        id={props.id}
        name={props.id}
        defaultValue={props.value ?? ""}
        className={`${inputClass(false)} mt-1`}
      >
        <option value="">Any</option>
        {Object.entries(props.options).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
