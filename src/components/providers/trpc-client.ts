"use client";

import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { useCallback, useRef, useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";

/**
 * The browser's tRPC client, one per page load: procedures over `/api/trpc` with superjson,
 * calls made in the same tick batched. Client components only ever send mutations (and the
 * player one draft read); what a page shows is read on the server and refreshed with
 * `router.refresh()`. So there is no query cache and no provider: React Query and its tRPC
 * adapter (about 14 kB of gzip on every signed-in page) are not needed.
 */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      // Subscriptions (the cohort space's live events) are Server-Sent Events on the same path.
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url: "/api/trpc", transformer: superjson }),
      false: httpBatchLink({ url: "/api/trpc", transformer: superjson }),
    }),
  ],
});

/**
 * A procedure call with its pending state, for forms: `const save = useCall(trpc.x.y.mutate)`,
 * then `await save.mutateAsync(input)` and `save.isPending` while one is in flight. Errors are
 * the client's `TRPCClientError`s, read by `formErrors`.
 */
export function useCall<I, O>(call: (input: I) => Promise<O>) {
  const latest = useRef(call);
  latest.current = call;
  const [inFlight, setInFlight] = useState(0);
  const mutateAsync = useCallback(async (input: I): Promise<O> => {
    setInFlight((n) => n + 1);
    try {
      return await latest.current(input);
    } finally {
      setInFlight((n) => n - 1);
    }
  }, []);
  return { mutateAsync, isPending: inFlight > 0 };
}
