import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { createContext } from "./context";
import { createCaller } from "./root";

/** Server Components call procedures through this caller: one context per request. */
export const serverContext = cache(async () =>
  createContext({ headers: await headers(), cookies: await cookies() }),
);

export const api = cache(async () => createCaller(await serverContext()));

export async function currentSession() {
  return (await serverContext()).session;
}
