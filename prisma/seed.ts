import type { Db } from "@/server/db";
import { DEMO_ACCOUNTS } from "@/server/demo";

/**
 * Demo content for a first run. Idempotent: everything is keyed by a natural unique value and
 * created only when missing, so a second start adds nothing and keeps what the demo users did.
 */
export async function seedDemo(db: Db): Promise<{ created: string[] }> {
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const existing = await db.user.findUnique({ where: { email: account.email } });
    if (existing) continue;
    await db.user.create({
      data: {
        email: account.email,
        name: account.name,
        role: account.role,
        timeZone: "Europe/London",
        emailVerified: new Date(),
      },
    });
    created.push(account.email);
  }
  return { created };
}
