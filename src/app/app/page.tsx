import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { cardClass } from "@/components/ui/styles";
import { requireUser } from "@/server/auth/guard";

export const metadata: Metadata = { title: "Today" };

function greeting(timeZone: string): string {
  const hour = Number(
    new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone }).format(
      new Date(),
    ),
  );
  return hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening";
}

export default async function TodayPage() {
  const user = await requireUser("/app");
  const today = new Intl.DateTimeFormat("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: user.timeZone,
  }).format(new Date());
  return (
    <>
      <PageHeader
        title={`${greeting(user.timeZone)}, ${user.name?.split(" ")[0] ?? "there"}`}
        lead={`${today} · times shown in ${user.timeZone}`}
      />
      <div className="grid gap-4 md:grid-cols-3">
        <section aria-labelledby="next-step" className={`${cardClass} md:col-span-2`}>
          <h2 id="next-step" className="font-serif text-xl">
            Your next step
          </h2>
          <div className="mt-4">
            <EmptyState title="No program yet">
              When you join a reflection program, your next step will wait for you here.
            </EmptyState>
          </div>
        </section>
        <section aria-labelledby="profile" className={cardClass}>
          <h2 id="profile" className="font-serif text-xl">
            Your profile
          </h2>
          <dl className="mt-3 space-y-2 text-sm">
            <div>
              <dt className="text-muted">Email</dt>
              <dd className="break-all">{user.email}</dd>
            </div>
            <div>
              <dt className="text-muted">Time zone</dt>
              <dd>{user.timeZone}</dd>
            </div>
          </dl>
          <Link href="/settings" className="mt-4 inline-block font-semibold text-brand underline">
            Edit profile
          </Link>
        </section>
      </div>
    </>
  );
}
