import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, statSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * The production server as users run it: `next build` output served by the launcher
 * (scripts/launcher.ts: migrations, demo seed, in-process worker, `next start` in its own
 * process group), on a database the caller prepared, on a free port, with its log in a file.
 */
const BUILD_ID = path.resolve(".next/BUILD_ID");
// What a build is made from: a change to any of these after the build makes it stale.
const BUILD_INPUTS = [
  "src",
  "prisma/schema.prisma",
  "next.config.mjs",
  "postcss.config.mjs",
  "package-lock.json",
];

async function newestMtime(entry: string): Promise<number> {
  if (!existsSync(entry)) return 0;
  const info = await stat(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const child of await readdir(entry)) {
    newest = Math.max(newest, await newestMtime(path.join(entry, child)));
  }
  return newest;
}

/** Why a (re)build is needed, or null when the production build matches the sources. */
export async function buildNeeded(force = false): Promise<string | null> {
  if (force) return "--build was given";
  if (!existsSync(BUILD_ID)) return "there is no production build";
  const built = statSync(BUILD_ID).mtimeMs;
  for (const input of BUILD_INPUTS) {
    if ((await newestMtime(input)) > built) return `${input} changed after the last build`;
  }
  return null;
}

export async function ensureBuild(force = false, log = console.log): Promise<void> {
  const reason = await buildNeeded(force);
  if (!reason) return;
  log(`building (${reason})…`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [path.resolve("node_modules/next/dist/bin/next"), "build"],
      {
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
        stdio: "inherit",
      },
    );
    child.on("exit", (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type RunningServer = {
  /** http://127.0.0.1:PORT — what the load generator talks to. */
  url: string;
  /** The app's own idea of its URL (cookie names and links derive from it). */
  appUrl: string;
  logFile: string;
  /** The server's NEXTAUTH_SECRET (the demo's emulator keys derive from it). */
  authSecret: string;
  /** The launcher's environment: a worker started beside it (`scripts/worker.ts`) needs it. */
  env: NodeJS.ProcessEnv;
  /** The launcher's process id: the web processes (and its worker, unless off) descend from it. */
  pid: number;
  /** Stops the launcher; the log is deleted unless `keepLog` (a failed run needs it). */
  stop: (keepLog?: boolean) => Promise<void>;
};

/**
 * Starts the launcher on `databaseUrl` and resolves once /api/health answers 200. `extraEnv` is
 * added to the launcher's environment (e.g. `KINDRED_WORKER: "off"`).
 */
export async function startServer(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  /** Another checkout to run (its own build): a baseline to compare with. */
  cwd = process.cwd(),
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "kindred-bench-"));
  // Outside the data folder, which goes on stop: the log is what explains a failed run.
  const logFile = path.join(os.tmpdir(), `kindred-bench-server-${port}.log`);
  const log = createWriteStream(logFile);
  const authSecret = randomBytes(48).toString("base64url");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    KINDRED_DEMO: "1",
    PORT: String(port),
    KINDRED_DATA_DIR: dataDir,
    NEXTAUTH_SECRET: authSecret,
    NEXT_TELEMETRY_DISABLED: "1",
    ...extraEnv,
  };
  for (const key of [
    "TEST_DATABASE_URL",
    "APP_URL",
    "NEXTAUTH_URL",
    "KINDRED_DB_PORT",
    "UPLOAD_DIR",
  ])
    delete env[key];

  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/launcher.ts", "start"],
    { env, cwd, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );

  let stopped: Promise<void> | undefined;
  const stop = (keepLog = false) => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // The launcher stops the web server's process group, then the worker, then exits.
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
      await rm(dataDir, { recursive: true, force: true }).catch(() => {});
      if (!keepLog) await rm(logFile, { force: true }).catch(() => {});
    })();
    return stopped;
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      const tail = (await readFile(logFile, "utf8").catch(() => "")).split("\n").slice(-30);
      await stop(true);
      throw new Error(`the server exited during start (${child.exitCode}):\n${tail.join("\n")}`);
    }
    const ok = await fetch(`${url}/api/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop(true);
      throw new Error(`the server did not answer /api/health within 180 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    appUrl: `http://localhost:${port}`,
    logFile,
    authSecret,
    env,
    pid: child.pid!,
    stop,
  };
}
