import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import pg from "pg";
import { startProxyControl, startTcpProxy } from "../scripts/fault/tcp-proxy";
import { E2E } from "./config";

/**
 * Starts Kindred for the e2e suite exactly as `npm start` does (the launcher), on a fresh
 * database: the machine's PostgreSQL when TEST_DATABASE_URL/DATABASE_URL is set (CI), else the
 * embedded PGlite in a fresh data folder on a fixed port the tests can reach.
 *
 * With PostgreSQL, the app reaches it through a loopback TCP proxy (scripts/fault/tcp-proxy.ts)
 * that e2e/faults.spec.ts cuts and restores through E2E.faultPort, to stop "the database" under
 * the running app. Not cut, it only passes bytes on. The tests' own `sql` helper goes straight
 * to the database.
 */
const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: String(E2E.port),
  KINDRED_DEMO: "1",
  KINDRED_DATA_DIR: E2E.dataDir,
  // The suite signs in far more often than one network may (20 links a minute), so the browser
  // plays a reverse proxy: each sign-in sends its own X-Forwarded-For hop, which the app trusts
  // with one proxy configured. TRUSTED_PROXIES=0 (the default) is covered by
  // tests/integration/web-server.test.ts.
  TRUSTED_PROXIES: "1",
};
delete env.DATABASE_URL;
delete env.TEST_DATABASE_URL;
delete env.APP_URL;
delete env.NEXTAUTH_URL;

await rm(E2E.dataDir, { recursive: true, force: true });
if (server) {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${E2E.database} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${E2E.database}`);
  await client.end();
  const url = new URL(server);
  url.pathname = `/${E2E.database}`;
  const proxy = await startTcpProxy({
    target: { host: url.hostname, port: Number(url.port || 5432) },
    port: E2E.dbProxyPort,
  });
  await startProxyControl(proxy, E2E.faultPort);
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  env.DATABASE_URL = url.toString();
} else {
  env.KINDRED_DB_PORT = String(E2E.embeddedDbPort);
}
process.env.E2E_DATABASE_URL = env.DATABASE_URL ?? E2E.embeddedUrl;

const child = spawn(process.execPath, ["--import", "tsx", "scripts/launcher.ts", "start"], {
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code) => process.exit(code ?? 0));
