import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/options";

type Ctx = { params: Promise<{ nextauth: string[] }> };

function handle(request: Request, context: Ctx) {
  return NextAuth(request as never, context as never, authOptions());
}

export function GET(request: Request, context: Ctx) {
  return handle(request, context);
}

export async function POST(request: Request, context: Ctx) {
  const { nextauth } = await context.params;
  // Links are issued by Kindred's own rate-limited form (tRPC auth.requestLink); next-auth's
  // built-in email sign-in POST would bypass those limits, so it does not exist here.
  if (nextauth[0] === "signin") {
    return Response.json({ error: "Request a sign-in link from /signin." }, { status: 404 });
  }
  return handle(request, context);
}
