import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";

/**
 * The exact GET URL the app's own client sends for a query (`httpBatchLink` with superjson, as
 * in src/components/providers/trpc-client.ts), captured from the real client rather than
 * rebuilt by hand, so the benchmark cannot drift from what browsers send.
 */
export async function trpcQueryPath(procedure: string, input: unknown): Promise<string> {
  let captured: string | undefined;
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: "http://bench.invalid/api/trpc",
        transformer: superjson,
        fetch: async (url) => {
          captured = String(url);
          // A well-formed batch answer, so the client settles without a network.
          return new Response(JSON.stringify([{ result: { data: { json: null } } }]), {
            headers: { "content-type": "application/json" },
          });
        },
      }),
    ],
  });
  let node: unknown = client;
  for (const key of procedure.split(".")) node = (node as Record<string, unknown>)[key];
  await (node as { query: (input: unknown) => Promise<unknown> }).query(input);
  if (!captured) throw new Error(`the tRPC client sent nothing for ${procedure}`);
  const url = new URL(captured);
  return `${url.pathname}${url.search}`;
}
