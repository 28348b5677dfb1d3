import {
  createServer,
  request as forward,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from "node:http";
import type { AddressInfo } from "node:net";

/** On every answer: the upstream (0-based) that served it. */
export const SERVED_BY_HEADER = "x-soak-served-by";

// Meaningful for one connection only (RFC 9110 §7.6.1): a proxy does not pass them on.
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer"];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

/** A request the proxy has handed to an upstream and not yet seen answered. */
export type InFlight = {
  upstream: number;
  method: string;
  path: string;
  /** Settles with the upstream's status, or "cut" when the upstream dropped it. */
  done: Promise<number | "cut">;
};

export type SoakProxy = {
  url: string;
  /** Requests now being served by `upstream`. */
  inFlight: (upstream: number) => InFlight[];
  /** Requests sent to another upstream after this one refused the connection. */
  rerouted: () => number;
  close: () => Promise<void>;
};

/**
 * The soak's load balancer: loopback only, round-robin over the web ports, appending the
 * client's address to X-Forwarded-For (the web processes run with TRUSTED_PROXIES=1). Like a
 * real balancer it sends a request whose connection an upstream refused (a process that is
 * stopping or not started yet) to the next upstream, and takes the refusing one out of the turn
 * for a second; a request an upstream dropped mid-way is answered 502 (it may have been applied:
 * the client cannot know). Request bodies are buffered so a refused one can be sent again.
 *
 * A copy of tests/instances/proxy.ts plus the retry and the in-flight bookkeeping the graceful
 * shutdown check needs.
 */
export async function startSoakProxy(upstreamPorts: number[]): Promise<SoakProxy> {
  let turn = 0;
  let rerouted = 0;
  const downUntil = upstreamPorts.map(() => 0);
  const flying = upstreamPorts.map(() => new Set<InFlight>());

  const pick = (tried: Set<number>): number | null => {
    const now = Date.now();
    for (let i = 0; i < upstreamPorts.length; i++) {
      const index = (turn + i) % upstreamPorts.length;
      if (!tried.has(index) && downUntil[index]! <= now) {
        turn = index + 1;
        return index;
      }
    }
    // All marked down: try one not yet tried anyway (it may be back).
    for (let index = 0; index < upstreamPorts.length; index++) if (!tried.has(index)) return index;
    return null;
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks)));
      req.on("error", reject);
    });

  const server = createServer(async (req, res) => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    const headers = withoutHopByHop(req.headers);
    const client = req.socket.remoteAddress ?? "";
    const earlier = req.headers["x-forwarded-for"];
    headers["x-forwarded-for"] = earlier ? `${earlier}, ${client}` : client;
    if (body.length) headers["content-length"] = String(body.length);

    const tried = new Set<number>();
    const attempt = () => {
      const index = pick(tried);
      if (index === null) {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end("no upstream accepted the connection");
        return;
      }
      tried.add(index);
      let settle: (v: number | "cut") => void = () => {};
      const entry: InFlight = {
        upstream: index,
        method: req.method ?? "GET",
        path: req.url ?? "/",
        done: new Promise((resolve) => {
          settle = resolve;
        }),
      };
      let connected = false;
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
          answer.on("end", () => {
            flying[index]!.delete(entry);
            settle(answer.statusCode ?? 502);
          });
          answer.on("error", () => {
            flying[index]!.delete(entry);
            settle("cut");
          });
        },
      );
      upstream.on("socket", (socket) => {
        socket.once("connect", () => {
          connected = true;
          flying[index]!.add(entry);
        });
      });
      upstream.on("error", (error: NodeJS.ErrnoException) => {
        flying[index]!.delete(entry);
        if (!connected && error.code === "ECONNREFUSED" && !res.headersSent) {
          // Nothing reached the upstream: safe to send elsewhere.
          downUntil[index] = Date.now() + 1000;
          rerouted += 1;
          attempt();
          return;
        }
        settle("cut");
        if (!res.headersSent) {
          res.writeHead(502, { "content-type": "text/plain", [SERVED_BY_HEADER]: String(index) });
          res.end("the upstream dropped the request");
        } else res.destroy();
      });
      upstream.end(body);
    };
    attempt();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inFlight: (upstream) => [...(flying[upstream] ?? [])],
    rerouted: () => rerouted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
