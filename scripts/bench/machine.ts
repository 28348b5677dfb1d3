import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import pg from "pg";

/**
 * What a result was measured on and of: numbers without the machine and the commit cannot be
 * compared later. The load average is recorded before and after a run because this machine is
 * shared: a busy one is visible in the result rather than hidden in it.
 */
export type Machine = {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  postgres: string;
  next: string;
  commit: string;
  dirty: boolean;
};

function git(args: string[]): string {
  try {
    return execFileSync("git", args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "";
  }
}

/** The model name, with family and model numbers where the name alone is vague ("AMD EPYC"). */
function cpuModel(): string {
  let info = "";
  try {
    info = readFileSync("/proc/cpuinfo", "utf8");
  } catch {}
  const field = (name: string) =>
    info
      .split("\n")
      .find((l) => l.split(":")[0]?.trim() === name)
      ?.split(":")[1]
      ?.trim();
  const model = os.cpus()[0]?.model?.trim() || field("model name") || "unknown CPU";
  const family = field("cpu family");
  const number = field("model");
  const mhz = field("cpu MHz");
  const details = [
    family && number ? `family ${family} model ${number}` : "",
    mhz ? `${Math.round(Number(mhz))} MHz` : "",
  ].filter(Boolean);
  return details.length ? `${model} (${details.join(", ")})` : model;
}

export async function describeMachine(databaseUrl: string): Promise<Machine> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let postgres = "unknown";
  try {
    postgres = (await client.query("SHOW server_version")).rows[0].server_version;
  } finally {
    await client.end();
  }
  const nextPackage = JSON.parse(readFileSync("node_modules/next/package.json", "utf8"));
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    next: nextPackage.version,
    commit: git(["rev-parse", "HEAD"]) || "unknown",
    // Uncommitted changes under src/ or prisma/ mean the numbers describe no commit exactly.
    dirty: git(["status", "--porcelain", "--", "src", "prisma", "next.config.mjs"]) !== "",
  };
}

export function loadAverage(): number[] {
  return os.loadavg().map((n) => Math.round(n * 100) / 100);
}

export function machineLine(m: Machine): string {
  return (
    `${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}, Node ${m.node}, ` +
    `PostgreSQL ${m.postgres}, Next ${m.next}; commit ${m.commit.slice(0, 12)}${m.dirty ? " (with uncommitted changes)" : ""}`
  );
}

/**
 * A sentence for the results. The 1-minute load average when the tool started (before it built,
 * seeded or served anything) is the best sign available of other work on the machine.
 */
export function loadNote(atStart: number[], cores: number): string {
  const busy = (atStart[0] ?? 0) > 0.5;
  return (
    `Load average (1/5/15 min) when the run started: ${atStart.join(" / ")} on ${cores} cores` +
    (busy
      ? ": other work was using the CPU, so these numbers are a baseline under load, lower than a quiet machine gives."
      : ": the machine was quiet.")
  );
}

/** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on every Linux build). */
const TICKS = 100;

/** CPU seconds (user + system) used so far by a process and all its living descendants (/proc). */
export function treeCpuSeconds(root: number): number {
  const parent = new Map<number, number>();
  const used = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command's closing parenthesis: state ppid … utime (14th) stime (15th).
      const fields = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ");
      parent.set(Number(entry), Number(fields[1]));
      used.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while we read.
    }
  }
  let ticks = 0;
  for (const [pid, t] of used) {
    for (let p: number | undefined = pid; p && p > 1; p = parent.get(p)) {
      if (p === root) {
        ticks += t;
        break;
      }
    }
  }
  return ticks / TICKS;
}
