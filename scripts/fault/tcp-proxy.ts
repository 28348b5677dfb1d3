import http from "node:http";
import net from "node:net";

/**
 * A loopback TCP proxy that can cut what passes through it, to stop "the database" under a
 * running app without stopping a server others share. Transparent while not cut: bytes are
 * piped both ways untouched, so anything PostgreSQL speaks (TLS negotiation, COPY, LISTEN)
 * goes through. `cut()` destroys every open connection and closes the listening socket, so new
 * connections are refused (ECONNREFUSED, as from a stopped PostgreSQL); `restore()` listens
 * again on the same port.
 */
export type TcpProxy = {
  readonly port: number;
  readonly isCut: boolean;
  /** Open connections through the proxy right now. */
  readonly open: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
};

export async function startTcpProxy(options: {
  target: { host: string; port: number };
  /** 0 picks a free port. Always bound to 127.0.0.1. */
  port?: number;
}): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let isCut = false;
  let closed = false;

  const server = net.createServer((client) => {
    if (isCut) return void client.destroy();
    const upstream = net.connect(options.target.port, options.target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      // One side failing ends both: the app sees its connection drop, as PostgreSQL would.
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });

  const port = await listen(options.port ?? 0);

  const destroyAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  return {
    port,
    get isCut() {
      return isCut;
    },
    get open() {
      return sockets.size;
    },
    async cut() {
      if (isCut || closed) return;
      isCut = true;
      // Stop listening first, so no connection slips in between; close() waits for the open
      // ones, which are destroyed right after, so it is not awaited.
      server.close();
      destroyAll();
    },
    async restore() {
      if (!isCut || closed) return;
      // The port was just released; on loopback it can be bound again at once.
      await listen(port);
      isCut = false;
    },
    async close() {
      closed = true;
      destroyAll();
      await new Promise<void>((resolve) =>
        server.listening ? server.close(() => resolve()) : resolve(),
      );
    },
  };
}

/**
 * A loopback HTTP endpoint to drive a proxy from another process (the e2e spec):
 * POST /cut, POST /restore, GET / for the state as JSON.
 */
export async function startProxyControl(proxy: TcpProxy, port: number): Promise<http.Server> {
  const control = http.createServer(async (request, response) => {
    try {
      if (request.method === "POST" && request.url === "/cut") await proxy.cut();
      else if (request.method === "POST" && request.url === "/restore") await proxy.restore();
      else if (request.method !== "GET" || request.url !== "/") {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ cut: proxy.isCut, open: proxy.open, port: proxy.port }));
    } catch (error) {
      response.writeHead(500).end(String((error as Error).message));
    }
  });
  await new Promise<void>((resolve, reject) => {
    control.once("error", reject);
    control.listen(port, "127.0.0.1", () => resolve());
  });
  return control;
}
