import type { Db } from "../db";
import { isUniqueViolation } from "../db/errors";
import type { Tx } from "./ownership";
import { PROGRAM_LIMITS } from "./schemas";

/** Program addresses: readable slugs from titles, unique even when two coaches create at once. */
export function slugify(title: string): string {
  const base = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    // Leave room for a "-123" suffix within the 80-character limit.
    .slice(0, PROGRAM_LIMITS.slug - 6)
    .replace(/-+$/g, "");
  return base || "program";
}

/** The first free slug of base, base-2, base-3… (one query). */
async function freeSlug(db: Db | Tx, title: string): Promise<string> {
  const base = slugify(title);
  const taken = new Set(
    (
      await db.program.findMany({
        where: { slug: { startsWith: base } },
        select: { slug: true },
      })
    ).map((p) => p.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Creates with a fresh slug, retrying when a concurrent create took the same one. */
export async function withFreeSlug<T>(db: Db, title: string, create: (slug: string) => Promise<T>) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await create(await freeSlug(db, title));
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 4) throw error;
    }
  }
}
