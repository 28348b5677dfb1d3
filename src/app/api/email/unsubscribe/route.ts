import { whileDatabaseAway } from "@/server/http/unavailable";
import { unsubscribeRequest } from "@/server/nudges/unsubscribe-http";

export const dynamic = "force-dynamic";

// One-click unsubscribe (RFC 8058: `List-Unsubscribe-Post: List-Unsubscribe=One-Click`), and the
// button on /email/unsubscribe. A GET (a click on the link) goes to that page, which asks first.
export const POST = whileDatabaseAway((request: Request) => {
  return unsubscribeRequest(request);
});

export function GET(request: Request) {
  const url = new URL(request.url);
  const t = url.searchParams.get("t") ?? "";
  return new Response(null, {
    status: 303,
    headers: { location: `/email/unsubscribe?t=${encodeURIComponent(t)}` },
  });
}
