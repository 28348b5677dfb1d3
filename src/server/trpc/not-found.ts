import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";

/**
 * For pages that hand query-string values to a procedure: a value the input schemas refuse
 * (a control character in `?q=`, a cursor that is no id) is the 404 page, like an unknown id,
 * rather than the error page.
 */
export function notFoundOnBadInput(error: unknown): never {
  if (error instanceof TRPCError && error.code === "BAD_REQUEST") notFound();
  throw error;
}
