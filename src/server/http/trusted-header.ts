import type { IncomingMessage } from "node:http";

/** Replaces every client-sent copy of `name` (in both header views Node keeps) with `value`. */
export function setTrustedHeader(req: IncomingMessage, name: string, value: string | null) {
  delete req.headers[name];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (raw[i]?.toLowerCase() === name) raw.splice(i, 2);
  }
  if (value !== null) {
    req.headers[name] = value;
    raw.push(name, value);
  }
}
