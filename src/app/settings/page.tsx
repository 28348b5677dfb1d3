import type { Metadata } from "next";
import { AccountExport } from "@/components/settings/AccountExport";
import { DeleteAccountForm } from "@/components/settings/DeleteAccountForm";
import { EmailAddressForm } from "@/components/settings/EmailAddressForm";
import { ProfileForm } from "@/components/settings/ProfileForm";
import { SignOutEverywhere } from "@/components/settings/SignOutEverywhere";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireUser("/settings");
  const caller = await api();
  const [profile, pending, deletion] = await Promise.all([
    caller.me.get(),
    caller.me.emailChange(),
    caller.account.deletionState(),
  ]);
  return (
    <>
      <PageHeader
        title="Settings"
        lead="Your profile. Times and reminders follow your time zone."
      />
      <section aria-labelledby="profile-heading" className={`${cardClass} max-w-xl`}>
        <h2 id="profile-heading" className="mb-4 font-serif text-xl">
          Profile
        </h2>
        <ProfileForm
          initial={{
            name: profile.name ?? "",
            timeZone: profile.timeZone,
            bio: profile.bio,
            image: profile.image,
          }}
          email={profile.email}
        />
      </section>
      <section aria-labelledby="address-heading" className={`${cardClass} mt-6 max-w-xl`}>
        <h2 id="address-heading" className="font-serif text-xl">
          Sign-in address
        </h2>
        <EmailAddressForm
          email={profile.email}
          pending={pending ? { newEmail: pending.newEmail } : null}
          expiresLabel={pending ? formatDateTime(pending.expires, profile.timeZone) : ""}
        />
      </section>
      <section aria-labelledby="email-heading" className={`${cardClass} mt-6 max-w-xl`}>
        <h2 id="email-heading" className="font-serif text-xl">
          Email
        </h2>
        <p className="mt-2 text-sm text-muted">
          Reflection reminders and notes from coaches: which, on which days, at what time, and quiet
          hours or weeks.
        </p>
        <Link
          href="/settings/notifications"
          className="mt-3 inline-block font-semibold text-brand underline"
        >
          Email preferences
        </Link>
      </section>
      <section aria-labelledby="data-heading" className={`${cardClass} mt-6 max-w-xl`}>
        <h2 id="data-heading" className="font-serif text-xl">
          Your data
        </h2>
        <p className="mt-2 text-sm text-muted">
          What Kindred keeps about you, who can read it and for how long; what is deleted on a
          schedule.
        </p>
        <div className="mt-3 flex flex-wrap gap-x-6 gap-y-2">
          <Link href="/privacy" className="font-semibold text-brand underline">
            Privacy
          </Link>
          <a
            href="/api/export/journal?format=md"
            download
            className="font-semibold text-brand underline"
          >
            Download your journal
          </a>
        </div>
        <AccountExport timeZone={profile.timeZone} />
      </section>
      <section aria-labelledby="sessions-heading" className={`${cardClass} mt-6 max-w-xl`}>
        <h2 id="sessions-heading" className="font-serif text-xl">
          Where you are signed in
        </h2>
        <p className="mt-2 text-sm text-muted">
          Left Kindred open on a shared computer or a lost phone? End those sessions at once.
        </p>
        <SignOutEverywhere />
      </section>
      <section aria-labelledby="billing-heading" className={`${cardClass} mt-6 max-w-xl`}>
        <h2 id="billing-heading" className="font-serif text-xl">
          Billing
        </h2>
        <p className="mt-2 text-sm text-muted">
          Your membership, purchases and invoices; update your card or cancel.
        </p>
        <Link
          href="/app/settings/billing"
          className="mt-3 inline-block font-semibold text-brand underline"
        >
          Open billing
        </Link>
      </section>
      <section aria-labelledby="delete-heading" className={`${cardClass} mt-6 max-w-xl`}>
        <h2 id="delete-heading" className="font-serif text-xl">
          Delete your account
        </h2>
        <DeleteAccountForm
          email={profile.email}
          pending={
            deletion.pending
              ? { expiresLabel: formatDateTime(deletion.pending.expires, profile.timeZone) }
              : null
          }
        />
      </section>
    </>
  );
}
