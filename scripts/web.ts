import next from "next";
import { EnvError, parseEnv } from "@/server/env";
import { createWebServer } from "@/server/http/web-server";
import { loadDotEnv } from "./load-env";

/**
 * The web process the launcher starts (instead of `next start` / `next dev`): Next.js behind
 * Kindred's own HTTP server, which decides the client address (see web-server.ts) and stops
 * gracefully on SIGTERM. Run as `node --import tsx scripts/web.ts start|dev`; `npm run web` runs
 * it alone as a web replica (no migrations, no worker: see README, "Scaling out").
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
  const app = next({ dev, dir: process.cwd(), hostname: settings.host, port: settings.port });
  const handle = app.getRequestHandler();
  const web = createWebServer({
    handler: (req, res) => handle(req, res),
    trustedProxies: settings.trustedProxies,
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
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
