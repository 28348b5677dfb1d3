import { TRPCError } from "@trpc/server";

/** Runs a call and reports its tRPC code ("OK" on success) and field-level messages. */
export async function errorOf(call: () => Promise<unknown>) {
  try {
    await call();
    return { code: "OK", fields: {} as Record<string, string[]> };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const cause = error.cause as { fieldErrors?: Record<string, string[]>; issues?: unknown[] };
    const fields: Record<string, string[]> = { ...(cause?.fieldErrors ?? {}) };
    for (const issue of (cause?.issues ?? []) as { path: string[]; message: string }[]) {
      const key = String(issue.path[0]);
      fields[key] = [...(fields[key] ?? []), issue.message];
    }
    return { code: error.code, fields };
  }
}
