import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect, createServer } from "node:net";

/**
 * Child processes of the several-instances test: each leads its own process group, so stopping
 * one stops whatever it started, and "no orphans" can be checked per group.
 */
export type Child = {
  name: string;
  pid: number;
  process: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
};

export function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, args, {
    env,
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (!child.pid) throw new Error(`${name} did not start`);
  // The last lines only: enough to explain a failure without keeping a whole server log.
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return { name, pid: child.pid, process: child, exited, output: () => log };
}

/** True while any process of the group `pid` leads is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a value (not undefined) or the deadline passes. A bound on
 * waiting for processes and jobs, never a measurement: nothing asserts how long it took.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; children?: Child[] } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    for (const child of options.children ?? []) {
      if (child.process.exitCode !== null || child.process.signalCode !== null)
        throw new Error(`${child.name} exited while waiting for ${what}:\n${child.output()}`);
    }
    if (Date.now() > deadline) {
      const logs = (options.children ?? []).map((c) => `--- ${c.name}\n${c.output()}`).join("\n");
      throw new Error(`gave up waiting for ${what}\n${logs}`);
    }
    await pause(200);
  }
}

/**
 * SIGTERM to the child's group, as a service manager stops a unit. Resolves with the exit code
 * once no process of the group is left; throws (after killing the group, so nothing lingers)
 * when one outlives the grace period.
 */
export async function stopChild(child: Child, graceMs = 30_000): Promise<number | null> {
  if (groupAlive(child.pid)) process.kill(-child.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (groupAlive(child.pid) && Date.now() < deadline) await pause(100);
  if (groupAlive(child.pid)) {
    process.kill(-child.pid, "SIGKILL");
    throw new Error(
      `${child.name} was still running ${graceMs / 1000} s after SIGTERM:\n${child.output()}`,
    );
  }
  return child.exited;
}

/** Kills what is left (after a failure); never throws. */
export function killGroup(child: Child) {
  try {
    if (groupAlive(child.pid)) process.kill(-child.pid, "SIGKILL");
  } catch {}
}

/** A loopback port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * A clean environment for a production demo process on `databaseUrl`: nothing of the test
 * runner's (VITEST, NODE_OPTIONS…) or of a .env; `extra` says where it is reached and listens.
 */
/** One master key for every process a test file starts: they read each other's sealed rows. */
export const CHILD_MASTER_KEY = randomBytes(32).toString("base64");

export function productionEnv(
  databaseUrl: string,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    KINDRED_DEMO: "1",
    NEXTAUTH_SECRET: randomBytes(48).toString("base64url"),
    KINDRED_MASTER_KEY: CHILD_MASTER_KEY,
    HOST: "127.0.0.1",
    ...extra,
  };
}
