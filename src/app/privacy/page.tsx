import type { Metadata } from "next";
import { PrivacyView } from "@/components/public/PrivacyView";
import { PublicHeader } from "@/components/shell/PublicHeader";
import { currentSession } from "@/server/trpc/server";

export const metadata: Metadata = {
  title: "Privacy",
  description: "What Kindred keeps about you, who can read it, and for how long.",
};

export default async function PrivacyPage() {
  const session = await currentSession();
  return (
    <>
      <PublicHeader signedIn={Boolean(session)} />
      <PrivacyView />
    </>
  );
}
