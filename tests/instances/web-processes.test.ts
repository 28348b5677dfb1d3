import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../helpers/database";
import {
  type Child,
  freePort,
  groupAlive,
  killGroup,
  productionEnv,
  startChild,
  waitFor,
} from "./processes";
import { sharedDatabase } from "./shared-database";

/**
 * The production web server as one supervisor and WEB_CONCURRENCY web processes sharing one
 * port (scripts/web.ts, node:cluster): both start, one killed is replaced while the port keeps
 * answering, and SIGTERM to the supervisor alone stops them all cleanly.
 */
let database: TestDatabase;
let dataDir: string;
let web: Child | undefined;

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after its end.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found.sort((a, b) => a - b);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthy(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
  return response?.status === 200;
}

beforeAll(async () => {
  database = await sharedDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), "kindred-web-processes-"));
}, 120_000);

afterAll(async () => {
  if (web) killGroup(web);
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("web processes", () => {
  it("share one port, replace one that dies, and all stop on SIGTERM to the supervisor", async () => {
    const port = await freePort();
    web = startChild(
      "web",
      ["--import", "tsx", "scripts/web.ts", "start"],
      productionEnv(database.url, {
        APP_URL: `http://127.0.0.1:${port}`,
        PORT: String(port),
        WEB_CONCURRENCY: "2",
        KINDRED_DATA_DIR: dataDir,
      }),
    );
    const supervisor = web;
    await waitFor("the web server", async () => ((await healthy(port)) ? true : undefined), {
      children: [supervisor],
    });
    expect(supervisor.output()).toContain(`2 web processes share port ${port}`);
    const first = await waitFor("two web processes ready", () => {
      const pids = childrenOf(supervisor.pid);
      const ready = pids.filter((pid) => supervisor.output().includes(`web process ${pid} ready`));
      return ready.length === 2 ? pids : undefined;
    });

    // One dies the hard way: the supervisor starts another, and the port keeps answering.
    process.kill(first[0]!, "SIGKILL");
    const second = await waitFor(
      "a replacement web process",
      () => {
        const pids = childrenOf(supervisor.pid);
        return pids.length === 2 && !pids.includes(first[0]!) ? pids : undefined;
      },
      { children: [supervisor] },
    );
    expect(second).toContain(first[1]);
    await waitFor(
      "the replacement to be noted",
      () =>
        /a web process exited \(.+\); starting another/.test(supervisor.output())
          ? true
          : undefined,
      { children: [supervisor] },
    );
    const replacement = second.find((pid) => !first.includes(pid))!;
    await waitFor(
      "the replacement to serve",
      () => (supervisor.output().includes(`web process ${replacement} ready`) ? true : undefined),
      { children: [supervisor] },
    );
    const answers = await Promise.all(Array.from({ length: 20 }, () => healthy(port)));
    expect(answers.every(Boolean)).toBe(true);

    // SIGTERM to the supervisor alone (not its group): it stops both and exits 0.
    process.kill(supervisor.pid, "SIGTERM");
    expect(await supervisor.exited).toBe(0);
    await waitFor("every web process to end", () =>
      second.every((pid) => !alive(pid)) ? true : undefined,
    );
    expect(groupAlive(supervisor.pid)).toBe(false);
  });
});
