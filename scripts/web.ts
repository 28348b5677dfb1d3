import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import next from "next";
import { isStripeWebhook, serveStripeWebhook } from "@/server/billing/webhook-http";
import { EnvError, parseEnv } from "@/server/env";
import { prerenderedPath } from "@/server/http/prerendered";
import { isSignedInPage, secureSignedInPage } from "@/server/http/signed-in-pages";
import { RestartBudget, webProcessCount } from "@/server/http/web-processes";
import { createWebServer } from "@/server/http/web-server";
import { loadDotEnv } from "./load-env";

/**
 * The web process the launcher starts (instead of `next start` / `next dev`): Next.js behind
 * Kindred's own HTTP server, which decides the client address (see web-server.ts) and stops
 * gracefully on SIGTERM. Run as `node --import tsx scripts/web.ts start|dev`; `npm run web` runs
 * it alone as a web replica (no migrations, no worker: see README, "Scaling out").
 * In production it runs one such process per core (WEB_CONCURRENCY), under a small supervisor
 * that shares the port between them, starts again one that dies and stops them all on SIGTERM.
 */
const dev = process.argv[2] === "dev";

function say(line: string) {
  console.log(`[kindred web] ${line}`);
}

async function main() {
  // Alone (`npm run web`) nobody has set these up; under the launcher they are already set.
  loadDotEnv();
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  if (!dev) (process.env as Record<string, string>).NODE_ENV = "production";
  let settings: ReturnType<typeof parseEnv>;
  try {
    settings = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  process.env.APP_URL ??= settings.appUrl;
  process.env.NEXTAUTH_URL ??= settings.appUrl;
  const processes = webProcessCount({
    dev,
    configured: settings.webConcurrency,
    cores: availableParallelism(),
  });
  if (processes > 1 && cluster.isPrimary) return supervise(processes);
  const app = next({ dev, dir: process.cwd(), hostname: settings.host, port: settings.port });
  const handle = app.getRequestHandler();
  const web = createWebServer({
    // Stripe's deliveries are answered here, before Next.js: they come in bursts and need
    // nothing of its page machinery (webhook-http.ts).
    handler: (req, res) => {
      if (isStripeWebhook(req)) return serveStripeWebhook(req, res);
      // Signed-in pages' nonce policy, no-store and sliding cookie (signed-in-pages.ts).
      if (isSignedInPage(req)) secureSignedInPage(req, res, dev);
      return handle(req, res);
    },
    trustedProxies: settings.trustedProxies,
    // Anonymous visitors' home and sign-in pages come from the build (see prerendered.ts).
    rewrite: (req) => prerenderedPath(req, settings.demo),
    onError: (error) => console.error("[kindred web] request failed:", error),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: finishing requests in flight…`);
    await web.stop();
    await app.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  await app.prepare();
  // In development Next's hot reload talks over WebSocket upgrades on the same server.
  if (dev) {
    const upgrade = app.getUpgradeHandler();
    web.server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
  }
  await web.listen(settings.port, settings.host);
  if (cluster.isWorker) say(`web process ${process.pid} ready`);
}

/** The supervisor: no Next.js here, only the web processes' lifecycle. */
function supervise(count: number) {
  say(`${count} web processes share port ${process.env.PORT ?? 3000} (WEB_CONCURRENCY)`);
  const budget = new RestartBudget();
  const live = new Set<number>();
  let stopping = false;
  const start = () => {
    const worker = cluster.fork();
    live.add(worker.id);
  };
  cluster.on("exit", (worker, code, signal) => {
    live.delete(worker.id);
    if (stopping) {
      if (live.size === 0) process.exit();
      return;
    }
    if (!budget.allow(Date.now())) {
      say("web processes keep exiting: stopping the web server");
      stopAll("SIGTERM", 1);
      return;
    }
    say(`a web process exited (${signal ?? code}); starting another`);
    start();
  });
  const stopAll = (signal: NodeJS.Signals, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    if (live.size === 0) process.exit();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on("SIGTERM", () => stopAll("SIGTERM"));
  process.on("SIGINT", () => stopAll("SIGINT"));
  for (let i = 0; i < count; i++) start();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
