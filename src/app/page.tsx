import { HomeView } from "@/components/public/HomeView";
import { env } from "@/server/env";
import { currentSession } from "@/server/trpc/server";

/**
 * The home page for visitors with a session cookie (it offers "Open Kindred"). Anonymous visitors
 * get the prerendered copy instead: the web server sends them to /prerendered (see
 * src/server/http/prerendered.ts), so this never renders for them.
 */
export default async function HomePage() {
  const session = await currentSession();
  return <HomeView signedIn={Boolean(session)} demo={env().demo} />;
}
