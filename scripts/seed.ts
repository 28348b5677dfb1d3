import { createDb } from "@/server/db";
import { seedDemo } from "../prisma/seed";
import { loadDotEnv } from "./load-env";

loadDotEnv();
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is required.");
  process.exit(1);
}
const db = createDb(url);
const { created } = await seedDemo(db);
console.log(created.length ? `seeded: ${created.join(", ")}` : "demo data already present");
await db.$disconnect();
