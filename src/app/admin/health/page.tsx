import type { Metadata } from "next";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { cardClass } from "@/components/ui/styles";
import { ADMIN_ROLES, requireRole } from "@/server/auth/guard";
import { QUEUE_COUNT_CAP } from "@/server/health/service";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Health" };

function Row(props: { label: string; value: string; warn?: boolean }) {
  return (
    <div className="flex justify-between gap-4 border-t border-line py-2 first:border-t-0">
      <dt className="text-muted">{props.label}</dt>
      <dd className={props.warn ? "font-semibold text-danger" : "font-semibold"}>{props.value}</dd>
    </div>
  );
}

const count = (n: number | null, capped = false) =>
  n === null ? "unknown" : `${n.toLocaleString("en-GB")}${capped ? "+" : ""}`;

export default async function HealthPage() {
  await requireRole(ADMIN_ROLES, "/admin/health");
  const h = await (await api()).admin.health();
  // A queue whose oldest waiting job is over a minute old has no worker keeping up.
  const lagging = (h.queue.oldestQueuedSeconds ?? 0) > 60;
  return (
    <>
      <PageHeader
        title="Health"
        lead="The database, the background job queue and how this deployment is set up. The public /api/health only says up or down."
      />
      {h.status !== "ok" || lagging ? (
        <div className="mb-6">
          <Notice tone="warn" role="alert">
            {!h.database.ok
              ? "The database did not answer. Pages that read data will fail until it is back."
              : !h.queue.ok
                ? "The job queue could not be read. Emails and other background work may be stuck."
                : "Jobs are waiting longer than a minute: is a worker running (npm run worker)?"}
          </Notice>
        </div>
      ) : (
        <div className="mb-6">
          <Notice tone="success" role="status">
            Everything answers.
          </Notice>
        </div>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        <section aria-labelledby="db-heading" className={cardClass}>
          <h2 id="db-heading" className="mb-2 font-serif text-xl">
            Database
          </h2>
          <dl>
            <Row label="Answers" value={h.database.ok ? "yes" : "no"} warn={!h.database.ok} />
            <Row
              label="Round trip"
              value={h.database.latencyMs === null ? "—" : `${h.database.latencyMs} ms`}
            />
          </dl>
        </section>
        <section aria-labelledby="queue-heading" className={cardClass}>
          <h2 id="queue-heading" className="mb-2 font-serif text-xl">
            Job queue
          </h2>
          <dl>
            <Row label="Waiting" value={count(h.queue.queued, h.queue.queuedCapped)} />
            <Row label="Running" value={count(h.queue.active)} />
            <Row
              label="Oldest waiting"
              value={
                h.queue.oldestQueuedSeconds === null ? "none" : `${h.queue.oldestQueuedSeconds} s`
              }
              warn={lagging}
            />
          </dl>
          {h.queue.queuedCapped && (
            <p className="mt-2 text-sm text-muted">
              Counted up to {QUEUE_COUNT_CAP.toLocaleString("en-GB")}, so this page stays fast.
            </p>
          )}
        </section>
        <section aria-labelledby="mode-heading" className={cardClass}>
          <h2 id="mode-heading" className="mb-2 font-serif text-xl">
            Deployment
          </h2>
          <dl>
            <Row label="Demo" value={h.mode.demo ? "yes" : "no"} />
            <Row label="Email" value={h.mode.email === "resend" ? "Resend" : "outbox (not sent)"} />
            <Row
              label="Payments"
              value={h.mode.billing === "stripe" ? "Stripe" : "simulated (emulator)"}
            />
          </dl>
        </section>
      </div>
    </>
  );
}
