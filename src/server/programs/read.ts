import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { NOT_FOUND, ownProgram } from "./ownership";

/** The coach's program list and one program's whole outline. */
export async function listPrograms(db: Db, actor: SignedInUser) {
  return db.program.findMany({
    where: ownProgram(actor),
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: 200,
    select: {
      id: true,
      title: true,
      slug: true,
      status: true,
      summary: true,
      coverImage: true,
      catalogPosition: true,
      updatedAt: true,
      publishedAt: true,
      author: { select: { id: true, name: true, email: true } },
      _count: { select: { modules: true, enrolments: true } },
    },
  });
}

/** The whole outline in one query, in order, without deleted exercises. */
export async function getProgram(db: Db, actor: SignedInUser, id: string) {
  const program = await db.program.findFirst({
    where: { id, ...ownProgram(actor) },
    include: {
      author: { select: { id: true, name: true, email: true } },
      modules: {
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        include: {
          steps: {
            orderBy: [{ position: "asc" }, { createdAt: "asc" }],
            include: {
              exercises: {
                where: { deletedAt: null },
                orderBy: [{ position: "asc" }, { createdAt: "asc" }],
                include: { _count: { select: { passes: true } } },
              },
            },
          },
        },
      },
    },
  });
  if (!program) throw new DomainError("NOT_FOUND", NOT_FOUND);
  return program;
}
