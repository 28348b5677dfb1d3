export const E2E = {
  port: 3100,
  database: "kindred_e2e",
  dataDir: ".data-e2e",
  embeddedDbPort: 54329,
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
