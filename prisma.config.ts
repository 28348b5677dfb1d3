// Prisma's CLI asks for its native schema engine on every command, and this project cannot
// download binaries. `prisma generate` never runs that engine, so a harmless stand-in is enough.
// The stand-in makes `migrate deploy` / `db push` silently do nothing: the project never calls
// them and applies its SQL migrations with scripts/migrate.ts instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/true";

import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
