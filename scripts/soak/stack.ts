import { mkdir } from "node:fs/promises";
import path from "node:path";
import {
  type Child,
  freePort,
  groupAlive,
  killGroup,
  productionEnv,
  startChild,
  stopChild,
  waitFor,
} from "../../tests/instances/processes";
import { type SoakProxy, startSoakProxy } from "./proxy";

/**
 * The deployment under test: two web processes (scripts/web.ts, one Node process each) behind
 * the soak's balancer and one or more workers (scripts/worker.ts), all on the soak's own
 * PostgreSQL cluster. Every process leads its own process group (so a kill reaches whatever it
 * started and "no orphan" is checked per group); every process ever started is remembered.
 */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Slot = { name: string; kind: "web" | "worker"; port?: number; child: Child };

export type Stack = {
  proxy: SoakProxy;
  webs: Slot[];
  workers: Slot[];
  /** Every child started during the run, including the ones since replaced. */
  all: () => Child[];
  /** Says the slot's current process is about to be stopped or killed on purpose (a fault). */
  intend: (slot: Slot) => void;
  /** Starts the process again in its slot (after it exited); resolves once it is ready. */
  restart: (slot: Slot) => Promise<void>;
  /** Resolves once the slot's process answers /api/health 200 (web) or subscribed (worker). */
  ready: (slot: Slot, timeoutMs?: number) => Promise<void>;
  /** Exits nobody asked for (a process that died by itself), by slot name. */
  unexpectedExits: {
    name: string;
    code: number | null;
    signal: string | null;
    at: number;
    /** The last lines it wrote: why it went. */
    tail: string;
  }[];
  /** SIGTERM to everything, in order: webs, then workers. Returns exit codes by name. */
  stopAll: () => Promise<Record<string, number | null | string>>;
  killAll: () => void;
};

export async function startStack(options: {
  databaseUrl: string;
  dataRoot: string;
  workers: number;
  env: Record<string, string>;
  log: (line: string) => void;
}): Promise<Stack> {
  const webPorts: number[] = [];
  while (webPorts.length < 2) {
    const port = await freePort();
    if (!webPorts.includes(port)) webPorts.push(port);
  }
  const proxy = await startSoakProxy(webPorts);
  const base = productionEnv(options.databaseUrl, {
    APP_URL: proxy.url,
    NEXTAUTH_URL: proxy.url,
    TRUSTED_PROXIES: "1",
    // The demo's Resend emulator is a route of the web processes; workers reach it via the proxy.
    RESEND_BASE_URL: `${proxy.url}/api/emulators/resend`,
    ...options.env,
  });
  const children: Child[] = [];
  const unexpectedExits: Stack["unexpectedExits"] = [];
  const expected = new WeakSet<Child>();
  let generation = 0;

  const spawn = (slot: Omit<Slot, "child">): Child => {
    generation += 1;
    const dataDir = path.join(options.dataRoot, `${slot.name.replace(/ /g, "-")}-${generation}`);
    const env =
      slot.kind === "web"
        ? {
            ...base,
            PORT: String(slot.port),
            WEB_CONCURRENCY: "1",
            KINDRED_DATA_DIR: dataDir,
            UPLOAD_DIR: path.join(dataDir, "uploads"),
          }
        : { ...base, KINDRED_DATA_DIR: dataDir };
    const args =
      slot.kind === "web"
        ? ["--import", "tsx", "scripts/web.ts", "start"]
        : ["--import", "tsx", "scripts/worker.ts"];
    const child = startChild(slot.name, args, env);
    children.push(child);
    child.process.once("exit", (code, signal) => {
      if (!expected.has(child)) {
        const tail = child.output().split("\n").slice(-15).join("\n");
        unexpectedExits.push({ name: slot.name, code, signal, at: Date.now(), tail });
        options.log(`!! ${slot.name} exited by itself (${signal ?? code}):\n${tail}`);
      }
    });
    return child;
  };

  const webs: Slot[] = webPorts.map((port, i) => {
    const slot = { name: `web ${i}`, kind: "web" as const, port };
    return { ...slot, child: spawn(slot) };
  });
  const workers: Slot[] = Array.from({ length: options.workers }, (_, i) => {
    const slot = { name: `worker ${i}`, kind: "worker" as const };
    return { ...slot, child: spawn(slot) };
  });

  const ready = async (slot: Slot, timeoutMs = 180_000) => {
    if (slot.kind === "web") {
      await waitFor(
        `${slot.name} on port ${slot.port}`,
        async () => {
          const health = await fetch(`http://127.0.0.1:${slot.port}/api/health`).catch(() => null);
          await health?.arrayBuffer().catch(() => null);
          return health?.status === 200 ? true : undefined;
        },
        { children: [slot.child], timeoutMs },
      );
    } else {
      await waitFor(
        `${slot.name} to subscribe`,
        () => (slot.child.output().includes("[worker] running") ? true : undefined),
        { children: [slot.child], timeoutMs },
      );
    }
  };

  const stack: Stack = {
    proxy,
    webs,
    workers,
    all: () => [...children],
    ready,
    unexpectedExits,
    intend: (slot) => expected.add(slot.child),
    async restart(slot) {
      expected.add(slot.child);
      // The leader's exit is seen before the rest of a killed group is reaped.
      const deadline = Date.now() + 15_000;
      while (groupAlive(slot.child.pid) && Date.now() < deadline) await pause(50);
      if (groupAlive(slot.child.pid)) throw new Error(`${slot.name} is still running`);
      slot.child = spawn(slot);
      await ready(slot);
    },
    async stopAll() {
      const codes: Record<string, number | null | string> = {};
      for (const slot of [...webs, ...workers]) {
        expected.add(slot.child);
        try {
          codes[slot.name] = await stopChild(slot.child);
        } catch (error) {
          codes[slot.name] = `killed: ${(error as Error).message.split("\n")[0]}`;
        }
      }
      await proxy.close();
      return codes;
    },
    killAll() {
      for (const child of children) {
        expected.add(child);
        killGroup(child);
      }
    },
  };
  // Workers first: they create pg-boss's schema, which the web processes enqueue into.
  await mkdir(options.dataRoot, { recursive: true });
  for (const slot of workers) await ready(slot);
  for (const slot of webs) await ready(slot);
  return stack;
}
