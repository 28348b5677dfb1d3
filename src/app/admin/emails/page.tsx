import type { Metadata } from "next";
import {
  DANGER_PILL,
  HeadRow,
  MUTED_PILL,
  Scroll,
  Section,
  td,
  WARN_PILL,
} from "@/components/billing-admin/parts";
import { Unsuppress } from "@/components/emails-admin/Unsuppress";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { Pager } from "@/components/ui/Pager";
import { buttonClass, cardClass, inputClass } from "@/components/ui/styles";
import { formatDateTime } from "@/lib/format-date";
import { ADMIN_ROLES, requireRole } from "@/server/auth/guard";
import { EMAIL_STATUSES } from "@/server/email/admin";
import { notFoundOnBadInput } from "@/server/trpc/not-found";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Emails" };

type Params = { status?: string; category?: string; q?: string; cursor?: string };
type Props = { searchParams: Promise<Params> };

function href(params: Params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  const qs = query.toString();
  return `/admin/emails${qs ? `?${qs}` : ""}#log`;
}

function StatusPill(props: { status: string; bounced: boolean; complained: boolean }) {
  if (props.complained) return <span className={DANGER_PILL}>complained</span>;
  if (props.bounced) return <span className={DANGER_PILL}>bounced</span>;
  if (props.status === "SENT") return <span className="pill">sent</span>;
  if (props.status === "FAILED") return <span className={DANGER_PILL}>failed</span>;
  if (props.status === "QUEUED") return <span className={WARN_PILL}>queued</span>;
  return <span className={MUTED_PILL}>{props.status.toLowerCase()}</span>;
}

export default async function EmailsPage({ searchParams }: Props) {
  const me = await requireRole(ADMIN_ROLES, "/admin/emails");
  const zone = me.timeZone;
  const params = await searchParams;
  const filters = {
    status: EMAIL_STATUSES.find((s) => s === params.status),
    category: params.category || undefined,
    q: params.q?.trim() || undefined,
  };
  const emails = (await api()).admin.emails;
  const [log, stats, suppressed] = await Promise.all([
    emails.list({ ...filters, cursor: params.cursor || undefined }).catch(notFoundOnBadInput),
    emails.stats(),
    emails.suppressions(),
  ]);
  const percent = (n: number) => `${(n * 100).toFixed(n > 0 && n < 0.001 ? 3 : 2)} %`;
  const filtered = Boolean(filters.status || filters.category || filters.q);
  return (
    <>
      <PageHeader
        title="Emails"
        lead="What Kindred sent, what became of it (from Resend's webhooks) and the addresses it no longer writes to."
      />
      <div className="space-y-10">
        <Section id="numbers" title="Last 30 days">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {[
              ["Sent", stats.sent.toLocaleString("en-GB")],
              ["Delivered", stats.delivered.toLocaleString("en-GB")],
              ["Bounced", stats.bounced.toLocaleString("en-GB")],
              ["Complaint rate", percent(stats.complaintRate)],
              ["Waiting to send", stats.queued.toLocaleString("en-GB")],
              ["Failed", stats.failed.toLocaleString("en-GB")],
            ].map(([label, value]) => (
              <div key={label} className={cardClass}>
                <dt className="text-sm text-muted">{label}</dt>
                <dd className="text-2xl font-semibold">{value}</dd>
              </div>
            ))}
          </dl>
          {stats.complaintRate >= 0.001 && (
            <p role="alert" className="mt-3 text-sm font-medium text-danger">
              Above 0.1 % of emails marked as spam: mailbox providers start to filter. Check what
              was sent and to whom.
            </p>
          )}
        </Section>

        <Section id="log" title="Email log" lead="Newest first, 50 a page.">
          <form action="/admin/emails#log" className="mb-4 flex flex-wrap items-end gap-3">
            <label className="text-sm font-semibold">
              Status
              <select
                name="status"
                defaultValue={filters.status ?? ""}
                className={`${inputClass(false)} mt-1`}
              >
                <option value="">Any</option>
                {EMAIL_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s.toLowerCase()}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm font-semibold">
              Kind
              <select
                name="category"
                defaultValue={filters.category ?? ""}
                className={`${inputClass(false)} mt-1`}
              >
                <option value="">Any</option>
                {stats.categories.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label className="min-w-48 flex-1 text-sm font-semibold">
              Address contains
              <input
                name="q"
                defaultValue={filters.q ?? ""}
                className={`${inputClass(false)} mt-1`}
              />
            </label>
            <button type="submit" className={buttonClass("secondary")}>
              Filter
            </button>
          </form>
          {log.emails.length === 0 ? (
            <EmptyState title={filtered ? "No email matches" : "No email yet"}>
              {filtered
                ? "Try another status, kind or address."
                : "Sign-in links, reminders and notices will appear here."}
            </EmptyState>
          ) : (
            <Scroll label="Email log">
              <table className="w-full min-w-[48rem] text-sm">
                <HeadRow
                  columns={["To", "Kind", "Subject", "Status", "Queued", "Sent", "Opened"]}
                />
                <tbody>
                  {log.emails.map((e) => (
                    <tr key={e.id} className="border-b border-line/60 last:border-b-0">
                      <td className={`${td} min-w-56 break-all`}>{e.toAddress}</td>
                      <td className={td}>{e.category}</td>
                      <td className={td}>
                        {e.subject}
                        {e.lastError && e.status !== "SENT" && (
                          <span className="block text-xs text-danger">
                            {e.lastError.slice(0, 160)}
                          </span>
                        )}
                      </td>
                      <td className={td}>
                        <StatusPill
                          status={e.status}
                          bounced={Boolean(e.bouncedAt)}
                          complained={Boolean(e.complainedAt)}
                        />
                        {e.sendAfter && e.status === "QUEUED" && (
                          <span className="block text-xs text-muted">
                            after {formatDateTime(e.sendAfter, zone)}
                          </span>
                        )}
                      </td>
                      <td className={`${td} whitespace-nowrap`}>
                        {formatDateTime(e.createdAt, zone)}
                      </td>
                      <td className={`${td} whitespace-nowrap`}>
                        {e.sentAt ? formatDateTime(e.sentAt, zone) : "—"}
                      </td>
                      <td className={`${td} whitespace-nowrap`}>
                        {e.openedAt ? formatDateTime(e.openedAt, zone) : "—"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )}
          <Pager
            what="emails"
            newest={params.cursor ? href({ ...filters }) : null}
            older={log.next ? href({ ...filters, cursor: log.next }) : null}
          />
        </Section>

        <Section
          id="suppressed"
          title="Suppressed addresses"
          lead="No nudge goes to these: they bounced for good or marked an email as spam. Sign-in links still go."
        >
          {suppressed.length === 0 ? (
            <EmptyState title="No suppressed address">
              Bounces and complaints from Resend's webhooks land here.
            </EmptyState>
          ) : (
            <Scroll label="Suppressed addresses">
              <table className="w-full min-w-[32rem] text-sm">
                <HeadRow
                  columns={["Address", "Why", "Since", { label: "Actions", hidden: true }]}
                />
                <tbody>
                  {suppressed.map((s) => (
                    <tr key={s.address} className="border-b border-line/60 last:border-b-0">
                      <td className={`${td} min-w-56 break-all`}>{s.address}</td>
                      <td className={td}>{s.reason}</td>
                      <td className={`${td} whitespace-nowrap`}>
                        {formatDateTime(s.createdAt, zone)}
                      </td>
                      <td className={td}>
                        <Unsuppress address={s.address} reason={s.reason} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )}
        </Section>
      </div>
    </>
  );
}
