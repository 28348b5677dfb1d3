import type { Metadata } from "next";
import { ProfileForm } from "@/components/settings/ProfileForm";
import { PageHeader } from "@/components/ui/PageHeader";
import { cardClass } from "@/components/ui/styles";
import { returnPathOr } from "@/lib/return-path";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Welcome" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

/**
 * The first-sign-in step: a new member says what to call them (and, if they like, adds a
 * picture and a few words) before anything else, so nobody is greeted "there" or shown to
 * their cohort as an email address.
 */
export default async function WelcomePage({ searchParams }: Props) {
  await requireUser("/settings/welcome");
  const { next } = await searchParams;
  const profile = await (await api()).me.get();
  return (
    <>
      <PageHeader
        title="Welcome to Kindred"
        lead="Before you begin: what should we call you? Everything but your name is optional, and you can change it all later in Settings."
      />
      <section aria-label="About you" className={`${cardClass} max-w-xl`}>
        <ProfileForm
          initial={{
            name: profile.name ?? "",
            timeZone: profile.timeZone,
            bio: profile.bio,
            image: profile.image,
          }}
          email={profile.email}
          next={returnPathOr(typeof next === "string" ? next : undefined, "/app")}
        />
      </section>
    </>
  );
}
