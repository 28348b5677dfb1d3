import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "@/generated/prisma/client";
import { openResult, sealArgs } from "./sealing";
import type { Vault } from "./vault";

/**
 * The Prisma client the application uses: every operation, raw statements included, passes
 * through here. Writes to private columns are sealed before they reach the database and every
 * envelope in a result is opened before it reaches the caller.
 *
 * Key reads go through the unextended `base` client, except inside an interactive transaction:
 * there they go through the transaction itself. Another connection would wait for the
 * transaction (the embedded database runs one at a time) or for a free pooled connection while
 * the transaction holds one: either way a deadlock. `$transaction(fn)` therefore runs `fn` with
 * its transaction client in `inTransaction`, which the hooks below read.
 *
 * The extension adds no methods and changes no result type, so the extended client keeps the
 * PrismaClient type the rest of the code is written against.
 */
type Scope = { client: PrismaClient; open: boolean };
const inTransaction = new AsyncLocalStorage<Scope>();

export function withSealing(base: PrismaClient): PrismaClient {
  const vaultNow = (): { vault: Vault; lookups: unknown } => {
    const scope = inTransaction.getStore();
    if (scope?.open) return { vault: { db: scope.client, cache: false }, lookups: scope.client };
    return { vault: { db: base, cache: true }, lookups: base };
  };
  const extended = base.$extends({
    name: "kindred-sealing",
    query: {
      async $allOperations({ model, operation, args, query }) {
        const { vault, lookups } = vaultNow();
        const sealed = await sealArgs(vault, lookups, model, operation, args);
        return openResult(vault, await query(sealed as typeof args));
      },
    },
  }) as unknown as PrismaClient;
  const $transaction = ((arg: unknown, options?: unknown) => {
    const run = extended.$transaction as (a: unknown, o?: unknown) => Promise<unknown>;
    if (typeof arg !== "function") return run.call(extended, arg, options);
    return run.call(
      extended,
      async (tx: PrismaClient) => {
        const scope: Scope = { client: tx, open: true };
        try {
          return await inTransaction.run(scope, () => (arg as (t: PrismaClient) => unknown)(tx));
        } finally {
          // Work the callback left running must not reach a transaction that has ended.
          scope.open = false;
        }
      },
      options,
    );
  }) as PrismaClient["$transaction"];
  return new Proxy(extended, {
    get(target, prop, receiver) {
      if (prop === "$transaction") return $transaction;
      return Reflect.get(target, prop, receiver);
    },
  });
}
