import { isIP } from "node:net";

/**
 * The header in which Kindred's own web server (`src/server/http/web-server.ts`) hands the
 * client's address to the app. The server deletes any copy a client sent before setting it, so
 * it is the only address the app may trust; `X-Forwarded-For` is client-controlled.
 */
export const CLIENT_IP_HEADER = "x-kindred-client-ip";

/** What a request counts as when no address is known (it shares one rate-limit bucket). */
export const UNKNOWN_CLIENT = "unknown";

/** An address as written by a socket or a proxy, without port, brackets or IPv4 mapping. */
export function normalizeAddress(raw: string | undefined): string | null {
  if (!raw) return null;
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^[^:]+:\d+$/.test(value)) value = value.slice(0, value.indexOf(":"));
  if (value.toLowerCase().startsWith("::ffff:") && isIP(value.slice(7)) === 4) {
    value = value.slice(7);
  }
  return isIP(value) ? value.toLowerCase() : null;
}

/**
 * The client's address from the connection and the forwarding chain.
 *
 * Every reverse proxy appends the address it received the request from to X-Forwarded-For, so
 * the chain [...X-Forwarded-For hops, socket address] is trustworthy only from the right: the
 * socket is the last proxy, and each of the `trustedProxies` proxies vouches for one hop to its
 * left. Anything further left was written by the client and is ignored. With no trusted proxy
 * the socket address is the client, whatever the headers claim.
 */
export function resolveClientAddress(input: {
  socketAddress: string | undefined;
  forwardedFor: string | string[] | undefined;
  trustedProxies: number;
}): string {
  const socket = normalizeAddress(input.socketAddress);
  if (input.trustedProxies <= 0) return socket ?? UNKNOWN_CLIENT;
  const header = Array.isArray(input.forwardedFor)
    ? input.forwardedFor.join(",")
    : (input.forwardedFor ?? "");
  const hops = header
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const chain = [...hops, input.socketAddress ?? ""];
  // The N-th hop from the right; a shorter chain (a request that reached us through fewer
  // proxies) yields its leftmost hop, which one of our proxies still wrote.
  const start = Math.max(0, chain.length - 1 - input.trustedProxies);
  // A trusted proxy that wrote something unparseable: fall back to the nearest hop to its right
  // (a proxy's own address), which a client cannot choose either.
  for (let i = start; i < chain.length; i++) {
    const address = normalizeAddress(chain[i]);
    if (address) return address;
  }
  return UNKNOWN_CLIENT;
}
