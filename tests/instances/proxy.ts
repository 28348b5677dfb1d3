import { createServer, request as forward, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** Asks the proxy for one upstream (0-based) instead of the next in turn; never forwarded. */
export const PIN_HEADER = "x-test-upstream";
/** On every answer: the upstream that served it. */
export const SERVED_BY_HEADER = "x-test-served-by";

// Meaningful for one connection only (RFC 9110 §7.6.1): a proxy does not pass them on.
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer"];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

export type TestProxy = { url: string; close: () => Promise<void> };

/**
 * A small reverse proxy for the several-instances test, as a load balancer would be: loopback
 * only, round-robin over the upstream ports, appending the client's address to X-Forwarded-For
 * (so the web processes run with TRUSTED_PROXIES=1) and passing the Host on. A request may pin
 * its upstream with PIN_HEADER, so the test can say "made on one, read on the other".
 */
export async function startProxy(upstreamPorts: number[]): Promise<TestProxy> {
  let next = 0;
  const server = createServer((req, res) => {
    const pinned = Number(req.headers[PIN_HEADER]);
    const index =
      Number.isInteger(pinned) && upstreamPorts[pinned] ? pinned : next++ % upstreamPorts.length;
    const headers = withoutHopByHop(req.headers);
    delete headers[PIN_HEADER];
    const client = req.socket.remoteAddress ?? "";
    const earlier = req.headers["x-forwarded-for"];
    headers["x-forwarded-for"] = earlier ? `${earlier}, ${client}` : client;

    const upstream = forward(
      {
        host: "127.0.0.1",
        port: upstreamPorts[index],
        method: req.method,
        path: req.url,
        headers,
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, {
          ...withoutHopByHop(answer.headers),
          [SERVED_BY_HEADER]: String(index),
        });
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { [SERVED_BY_HEADER]: String(index) });
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
