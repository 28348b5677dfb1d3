import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { api } from "../trpc/server";

/** The outline for editor pages; someone else's (or a malformed) id is the 404 page. */
export async function loadOwnProgram(id: string) {
  try {
    return await (await api()).programs.get({ id });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  }
}

export type ProgramOutline = Awaited<ReturnType<typeof loadOwnProgram>>;
