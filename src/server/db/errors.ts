import { Prisma } from "@/generated/prisma/client";

/** A write lost a race on a unique constraint (another request inserted the same row first). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
