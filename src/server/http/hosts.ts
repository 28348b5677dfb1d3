import { isIP } from "node:net";

/**
 * What a listen address means for who can reach the server. Kindred binds to loopback unless
 * told otherwise, because a demo's public mailbox hands out live sign-in links.
 */

/** 127.0.0.0/8, ::1 (also as an IPv4-mapped address) and the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  if (h === "localhost" || h === "::1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice("::ffff:".length) : h;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

/** 0.0.0.0 and :: listen on every interface. */
export function isWildcardHost(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, "");
  return h === "0.0.0.0" || h === "::" || h === "0:0:0:0:0:0:0:0";
}

/** The host as it goes into a URL: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Where this machine's own processes (the worker, the emulator client) reach the server. */
export function selfHost(host: string): string {
  return isWildcardHost(host) ? "127.0.0.1" : urlHost(host);
}
