import type { Metadata } from "next";
import { NextReminder } from "@/components/nudges/NextReminder";
import { NudgePreferencesForm } from "@/components/nudges/NudgePreferencesForm";
import { preferenceValues } from "@/components/nudges/preference-values";
import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { cardClass } from "@/components/ui/styles";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { getPreferences, memberOfLink } from "@/server/nudges/preferences";
import { readLinkToken } from "@/server/nudges/tokens";

export const metadata: Metadata = {
  title: "Email preferences",
  // A page for one member's link: never indexed.
  robots: { index: false, follow: false },
};

type Props = { searchParams: Promise<{ t?: string | string[] }> };

/** The preference page an email's footer opens, without signing in (the link is the key). */
export default async function EmailPreferencesPage({ searchParams }: Props) {
  const { t } = await searchParams;
  const token = typeof t === "string" ? t : "";
  let prefs: Awaited<ReturnType<typeof getPreferences>> | null = null;
  const { expired } = readLinkToken(env().authSecret, token);
  try {
    const { userId } = await memberOfLink(db(), env().authSecret, token, "preferences");
    prefs = await getPreferences(db(), userId);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
  return (
    <>
      <PublicHeader signedIn={false} />
      <main id="main" className="mx-auto max-w-2xl px-4 pb-16">
        <h1 className="py-8 font-serif text-3xl text-ink">Email preferences</h1>
        {prefs ? (
          <section aria-label="Email preferences" className={`${cardClass} space-y-4`}>
            <p className="text-sm text-muted">
              For {prefs.email}. This page opened from a link in your email; anyone with that link
              can change these settings, so keep it to yourself.
            </p>
            <NextReminder at={prefs.nextReminderAt} timeZone={prefs.timeZone} />
            <NudgePreferencesForm
              initial={preferenceValues(prefs)}
              categories={prefs.categories}
              token={token}
            />
          </section>
        ) : (
          <Notice tone="danger" role="alert">
            {expired
              ? "This link is more than a year old, so it no longer opens your preferences. You can "
              : "This link is not valid. Open the one in your latest email from Kindred, or "}
            <Link href="/signin?callbackUrl=/settings/notifications" className="underline">
              sign in
            </Link>{" "}
            to change your email preferences.
          </Notice>
        )}
      </main>
    </>
  );
}
