import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { roster } from "@/server/cohorts/reads";
import { adapterOptions, type Db } from "@/server/db";
import { search } from "@/server/search/service";
import { CountingPool } from "./scripts/bench/counting-pool";

async function main() {
  const url = "postgresql://postgres@127.0.0.1:5432/kindred_bench_profile";
  const pool = new CountingPool({ connectionString: url, max: 10 });
  const db = new PrismaClient({
    adapter: new PrismaPg(pool, adapterOptions(url)),
  }) as unknown as Db;
  const maya = await db.user.findFirstOrThrow({ where: { email: "maya@demo.kindred.local" } });
  const u = { id: maya.id, role: maya.role, timeZone: maya.timeZone };
  const what = process.argv[2] ?? "search";
  for (let k = 0; k < 3; k++) {
    const sent = await pool.record(() => search(db, u, { q: "friend", limit: 5 }));
    if (k < 2) continue;
    for (const s of sent)
      console.log(
        (s.end - s.start).toFixed(1),
        "ms",
        JSON.stringify({ text: s.config.text, values: s.config.values }),
      );
  }
  await db.$disconnect();
  await pool.end();
}
main();
