import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { Pager } from "@/components/ui/Pager";
import { formatDateTime } from "@/lib/format-date";
import { AUDIT_AREAS, type AuditArea } from "@/server/audit/describe";
import { ADMIN_ROLES, requireRole } from "@/server/auth/guard";
import { notFoundOnBadInput } from "@/server/trpc/not-found";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<{ cursor?: string; area?: string }> };

const AREA_LABELS: Record<AuditArea, string> = {
  users: "Accounts",
  programs: "Programs",
  cohorts: "Cohorts",
  billing: "Billing",
  emails: "Emails",
};

const isArea = (value: string | undefined): value is AuditArea =>
  value !== undefined && value in AUDIT_AREAS;

function href(area: AuditArea | undefined, cursor?: string) {
  const query = new URLSearchParams();
  if (area) query.set("area", area);
  if (cursor) query.set("cursor", cursor);
  const qs = query.toString();
  return `/admin/audit${qs ? `?${qs}` : ""}`;
}

export default async function AuditPage({ searchParams }: Props) {
  const me = await requireRole(ADMIN_ROLES, "/admin/audit");
  const params = await searchParams;
  const area = isArea(params.area) ? params.area : undefined;
  const { items, nextCursor } = await (await api()).admin.users
    .audit({ cursor: params.cursor, limit: 50, area })
    .catch(notFoundOnBadInput);
  const chip = (current: boolean) =>
    `inline-flex min-h-11 items-center rounded-full border px-4 text-sm font-semibold ${
      current
        ? "border-brand bg-brand text-white"
        : "border-line bg-card text-ink hover:border-brand"
    }`;
  return (
    <>
      <PageHeader
        title="Audit log"
        lead="What admins and coaches did, newest first, 50 a page. Entries cannot be edited."
      />
      <nav aria-label="Show entries about" className="mb-4 flex flex-wrap gap-2">
        <Link
          href={href(undefined)}
          className={chip(!area)}
          aria-current={!area ? "page" : undefined}
        >
          Everything
        </Link>
        {(Object.keys(AREA_LABELS) as AuditArea[]).map((a) => (
          <Link
            key={a}
            href={href(a)}
            className={chip(area === a)}
            aria-current={area === a ? "page" : undefined}
          >
            {AREA_LABELS[a]}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <EmptyState title={area ? "Nothing recorded here yet" : "Nothing recorded yet"}>
          Role changes, deactivations, publishing, cohort moderation, refunds and comps appear here.
        </EmptyState>
      ) : (
        <ol
          aria-label="Audit entries"
          className="divide-y divide-line rounded-2xl border border-line bg-card"
        >
          {items.map((entry) => (
            <li
              key={entry.id}
              className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:justify-between sm:gap-6"
            >
              <p className="min-w-0 break-words">
                <span className="font-semibold">{entry.actor ?? "Kindred"}</span> {entry.sentence}.
              </p>
              <time
                dateTime={entry.createdAt.toISOString()}
                className="shrink-0 text-sm text-muted"
              >
                {formatDateTime(entry.createdAt, me.timeZone)}
              </time>
            </li>
          ))}
        </ol>
      )}
      <Pager
        what="audit entries"
        newest={params.cursor ? href(area) : null}
        older={nextCursor ? href(area, nextCursor) : null}
      />
    </>
  );
}
