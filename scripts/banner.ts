import type { Env } from "@/server/env";
import { isLoopbackHost, isWildcardHost, urlHost } from "@/server/http/hosts";

/** What the launcher prints about where it listens and who can reach it. */
export function listenLine(env: Pick<Env, "host" | "port">): string {
  const reach = isLoopbackHost(env.host)
    ? "this computer only"
    : isWildcardHost(env.host)
      ? "every network interface"
      : "reachable from the network";
  return `listening on http://${urlHost(env.host)}:${env.port} (${reach}; HOST changes it)`;
}

/**
 * A demo's mailbox is public and shows every account's live sign-in link, so a demo that
 * listens beyond loopback lets anyone on the network sign in as the demo admin. Null when the
 * start is safe.
 */
export function openDemoWarning(env: Pick<Env, "demo" | "host" | "port">): string | null {
  if (!env.demo || isLoopbackHost(env.host)) return null;
  const bar = "!".repeat(86);
  return [
    bar,
    `!! WARNING: this DEMO listens on ${urlHost(env.host)}:${env.port}, beyond this computer (HOST=${env.host}).`,
    "!! Anyone who can reach it on your network can open the public mailbox at /mailbox,",
    "!! read every sign-in link and sign in as any demo account, the admin included.",
    "!! Unset HOST (loopback is the default) unless you mean to share this demo with them.",
    bar,
  ].join("\n");
}
