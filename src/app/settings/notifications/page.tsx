import type { Metadata } from "next";
import { NextReminder } from "@/components/nudges/NextReminder";
import { NudgePreferencesForm } from "@/components/nudges/NudgePreferencesForm";
import { preferenceValues } from "@/components/nudges/preference-values";
import { PageHeader } from "@/components/ui/PageHeader";
import { cardClass } from "@/components/ui/styles";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Email preferences" };

export default async function NotificationsPage() {
  await requireUser("/settings/notifications");
  const prefs = await (await api()).nudges.preferences();
  return (
    <>
      <PageHeader
        title="Email preferences"
        lead="Which reminders Kindred sends you, and when. Never more than one a day."
      />
      <section aria-label="Email preferences" className={`${cardClass} max-w-2xl space-y-4`}>
        <NextReminder at={prefs.nextReminderAt} timeZone={prefs.timeZone} />
        <NudgePreferencesForm initial={preferenceValues(prefs)} categories={prefs.categories} />
      </section>
    </>
  );
}
