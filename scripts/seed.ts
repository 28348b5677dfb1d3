import { createDb } from "@/server/db";
import { env } from "@/server/env";
import { producerBoss, producerQueue } from "@/server/jobs/producer";
import { seedDemo } from "../prisma/seed";
import { seedBilling } from "../prisma/seed-billing";
import { loadDotEnv } from "./load-env";

loadDotEnv();
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is required.");
  process.exit(1);
}
const db = createDb(url);
const { created } = await seedDemo(db);
// Demo billing needs the demo's Stripe emulator (KINDRED_DEMO=1 and no Stripe key).
if (env().demo && (await seedBilling(db, env(), producerQueue))) {
  created.push("demo billing");
  await (await producerBoss()).stop({ graceful: true });
}
console.log(created.length ? `seeded: ${created.join(", ")}` : "demo data already present");
await db.$disconnect();
