// Port, database and data folder of the app under test. Each can be moved with an environment
// variable so that two checkouts on one machine can run their suites at the same time.
const numberFrom = (value: string | undefined, fallback: number) =>
  value && /^\d+$/.test(value) ? Number(value) : fallback;

export const E2E = {
  port: numberFrom(process.env.E2E_PORT, 3100),
  database: process.env.E2E_DATABASE ?? "kindred_e2e",
  dataDir: process.env.E2E_DATA_DIR ?? ".data-e2e",
  embeddedDbPort: numberFrom(process.env.E2E_DB_PORT, 54329),
  /**
   * The loopback proxy between the app and its PostgreSQL (scripts/fault/tcp-proxy.ts), and the
   * HTTP port that cuts and restores it (e2e/faults.spec.ts). Next to the app's port by default.
   */
  get dbProxyPort() {
    return numberFrom(process.env.E2E_DB_PROXY_PORT, this.port + 2);
  },
  get faultPort() {
    return numberFrom(process.env.E2E_FAULT_PORT, this.port + 1);
  },
  get baseUrl() {
    return `http://localhost:${this.port}`;
  },
  get embeddedUrl() {
    return `postgresql://postgres@127.0.0.1:${this.embeddedDbPort}/postgres?sslmode=disable`;
  },
  /** The database the app under test uses, for the few checks that must look behind the UI. */
  databaseUrl(): string {
    const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
    if (!server) return this.embeddedUrl;
    const url = new URL(server);
    url.pathname = `/${this.database}`;
    return url.toString();
  },
};
