import { HomeView } from "@/components/public/HomeView";
import { flavourParams } from "./flavours";

/**
 * The home page as every anonymous visitor sees it, built once per flavour at `next build` and
 * served from the build: it never renders per request. The web server sends `GET /` without a
 * session cookie here (src/server/http/prerendered.ts); the address bar still says `/`.
 */
export const dynamicParams = false;
export const generateStaticParams = flavourParams;

type Props = { params: Promise<{ flavour: string }> };

export default async function PrerenderedHome({ params }: Props) {
  const { flavour } = await params;
  return <HomeView signedIn={false} demo={flavour === "demo"} />;
}
