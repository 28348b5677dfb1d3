import { TRPCClientError } from "@trpc/client";

/** Field-level messages and a summary from a failed mutation, for forms. */
export function formErrors(error: unknown): { message: string; fields: Record<string, string> } {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: Record<string, string[]> | null } | undefined;
    const fields: Record<string, string> = {};
    for (const [key, messages] of Object.entries(data?.fieldErrors ?? {})) {
      if (messages?.[0]) fields[key] = messages[0];
    }
    return { message: error.message, fields };
  }
  return {
    message: "We could not reach Kindred. Check your connection and try again.",
    fields: {},
  };
}
