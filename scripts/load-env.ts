import { existsSync } from "node:fs";

/** Prisma 7 and plain Node scripts do not read .env themselves; Next does, for its process. */
export function loadDotEnv(): void {
  for (const file of [".env.local", ".env"]) {
    if (existsSync(file)) process.loadEnvFile(file);
  }
}
