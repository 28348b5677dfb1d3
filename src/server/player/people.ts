import type { Prisma } from "@/generated/prisma/client";
import { zonedInstant } from "@/lib/time-zone";
import type { AnswerContent } from "../programs/exercise-kinds";

/**
 * Answering a people exercise again updates the people already on the map (same name and
 * circle, ignoring case) instead of adding them twice; only new people are created. Dates are
 * the member's local days, stored at local noon like the community map stores them.
 */
export async function mergePeople(
  tx: Prisma.TransactionClient,
  userId: string,
  timeZone: string,
  passId: string,
  people: AnswerContent<"PEOPLE">["people"],
) {
  const keyOf = (name: string, circle: string) =>
    `${name.trim().toLowerCase()}\u0000${circle.trim().toLowerCase()}`;
  // Names are sealed (crypto/sealing.ts): the member's people are read and matched here.
  const wanted = new Set(people.map((p) => keyOf(p.name, p.circle)));
  const existing = (
    await tx.person.findMany({
      where: { userId },
      select: { id: true, name: true, circle: true, lastContactAt: true },
      orderBy: { id: "asc" },
    })
  ).filter((p) => wanted.has(keyOf(p.name, p.circle)));
  const byKey = new Map(existing.map((p) => [keyOf(p.name, p.circle), p]));
  const fresh: Prisma.PersonCreateManyInput[] = [];
  for (const p of people) {
    const lastContactAt = p.lastContact ? zonedInstant(p.lastContact, timeZone, 12) : null;
    const known = byKey.get(keyOf(p.name, p.circle));
    if (known) {
      await tx.person.update({
        where: { id: known.id },
        data: {
          status: p.status,
          ...(p.why ? { why: p.why } : {}),
          // Last contact only moves forward.
          ...(lastContactAt && (!known.lastContactAt || lastContactAt > known.lastContactAt)
            ? { lastContactAt }
            : {}),
        },
      });
    } else {
      fresh.push({
        userId,
        name: p.name.trim(),
        circle: p.circle.trim(),
        status: p.status,
        why: p.why,
        lastContactAt,
        sourcePassId: passId,
      });
    }
  }
  if (fresh.length) await tx.person.createMany({ data: fresh });
}
