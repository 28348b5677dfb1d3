import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  databaseTroubledRecently,
  noteIfUnavailable,
  RETRY_AFTER_SECONDS,
  unavailableMessage,
} from "../db/availability";
import { CLIENT_IP_HEADER, resolveClientAddress } from "./client-address";
import { setTrustedHeader } from "./trusted-header";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export type WebServer = {
  server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /**
   * Graceful stop: refuse new connections, let requests in flight finish (their connections
   * close after the response), and cut whatever is still open after `graceMs`.
   */
  stop(): Promise<void>;
};

/**
 * While the database is away, a page or route that failed for it answers 503 with Retry-After
 * instead of 500: nothing is broken, and the same request works again shortly. Next.js decides
 * the status of a failed render itself, so this happens where every response starts: writeHead
 * (which Node also calls for a response whose headers were set one by one).
 */
function unavailableInsteadOfServerError(res: ServerResponse) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status === 500 && databaseTroubledRecently()) {
      status = 503;
      if (typeof rest[0] === "string") rest[0] = "Service Unavailable";
      this.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
      this.setHeader("cache-control", "no-store");
    }
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse["writeHead"];
}

/**
 * Kindred's HTTP server in front of Next.js. Route handlers and pages never see the socket, so
 * this is where the client address is decided: from the socket and the configured number of
 * trusted proxies, handed on in CLIENT_IP_HEADER (see client-address.ts).
 */
export function createWebServer(options: {
  handler: NodeHandler;
  trustedProxies: number;
  /** Another path to serve instead of the one asked for (null: as asked). */
  rewrite?: (req: IncomingMessage) => string | null;
  graceMs?: number;
  onError?: (error: unknown) => void;
}): WebServer {
  const { handler, trustedProxies, graceMs = 8_000 } = options;
  const inFlight = new Set<ServerResponse>();
  let stopping: Promise<void> | null = null;

  const server = createServer((req, res) => {
    const client = resolveClientAddress({
      socketAddress: req.socket.remoteAddress,
      forwardedFor: req.headers["x-forwarded-for"],
      trustedProxies,
    });
    setTrustedHeader(req, CLIENT_IP_HEADER, client);
    // Without a trusted proxy the header is the client's own claim; nothing downstream should
    // read it (Next sets its own from the socket when it is absent).
    if (trustedProxies === 0) setTrustedHeader(req, "x-forwarded-for", null);
    const path = options.rewrite?.(req);
    if (path) req.url = path;

    unavailableInsteadOfServerError(res);
    inFlight.add(res);
    if (stopping) res.setHeader("connection", "close");
    res.on("close", () => {
      inFlight.delete(res);
      if (stopping) server.closeIdleConnections();
    });
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        const away = noteIfUnavailable(error);
        if (!away) options.onError?.(error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(away ? unavailableMessage(away) : "Internal server error");
      });
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        // Responses not yet started end their connection instead of keeping it alive.
        for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
        server.closeIdleConnections();
      });
      return stopping;
    },
  };
}
