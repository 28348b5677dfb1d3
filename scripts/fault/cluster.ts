import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own, in a temporary folder, that a test or the soak may stop and
 * start at will (the machine's shared server must never be stopped). It uses the machine's
 * PostgreSQL binaries; they refuse to run as root, so as root every command runs as the
 * `postgres` user (runuser), and the folder is handed to that user.
 *
 * Loopback only: it listens on 127.0.0.1 and its socket directory is the cluster's own folder.
 */
export type Cluster = {
  port: number;
  dir: string;
  /** A connection string for `database` (default `postgres`) as the superuser `postgres`. */
  url: (database?: string) => string;
  start: () => Promise<void>;
  /** `fast` rolls back open transactions and disconnects; `immediate` is a crash (recovery on start). */
  stop: (mode?: "fast" | "immediate") => Promise<void>;
  running: () => Promise<boolean>;
  /** Stops (immediately) and removes the folder. */
  destroy: () => Promise<void>;
  /** The machine's client programs (pg_dump, pg_restore, psql) of the same version. */
  bin: (program: string) => string;
};

/** The newest PostgreSQL on the machine (PG_BINDIR, else /usr/lib/postgresql/<v>/bin, else PATH). */
export function postgresBinDir(): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], "bin");
  }
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      "No PostgreSQL server binaries found (initdb, pg_ctl). Install PostgreSQL or set PG_BINDIR.",
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a server program as the cluster's owner. */
async function asOwner(program: string, args: string[]) {
  const [file, argv] = asRoot()
    ? ["runuser", ["-u", "postgres", "--", program, ...args]]
    : [program, args];
  return run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run("id", ["postgres"]);
  const uid = Number(/uid=(\d+)/.exec(stdout)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(stdout)?.[1]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error("No postgres user here.");
  return { uid, gid };
}

export async function createCluster(
  options: { port?: number; label?: string } = {},
): Promise<Cluster> {
  const binDir = postgresBinDir();
  const bin = (program: string) => path.join(binDir, program);
  const dir = await mkdtemp(path.join(tmpdir(), `kindred-${options.label ?? "pg"}-`));
  const data = path.join(dir, "data");
  if (asRoot()) {
    const { uid, gid } = await postgresIds();
    await chown(dir, uid, gid);
  }
  await chmod(dir, 0o700);
  const port = options.port ?? (await freePort());
  await asOwner(bin("initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "--encoding=UTF8",
    "--no-instructions",
  ]);
  const url = (database = "postgres") =>
    `postgresql://postgres@127.0.0.1:${port}/${database}?sslmode=disable`;
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c max_connections=200",
    // Durability as in production: fsync and synchronous commit stay on.
  ].join(" ");
  const cluster: Cluster = {
    port,
    dir,
    url,
    bin,
    async start() {
      await asOwner(bin("pg_ctl"), [
        "start",
        "-D",
        data,
        "-w",
        "-t",
        "60",
        "-l",
        path.join(dir, "log"),
        "-o",
        settings,
      ]);
    },
    async stop(mode = "fast") {
      await asOwner(bin("pg_ctl"), ["stop", "-D", data, "-m", mode, "-w", "-t", "60"]);
    },
    async running() {
      try {
        await asOwner(bin("pg_ctl"), ["status", "-D", data]);
        return true;
      } catch {
        return false;
      }
    },
    async destroy() {
      if (await cluster.running()) await cluster.stop("immediate").catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
