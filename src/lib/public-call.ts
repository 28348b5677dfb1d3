/**
 * One tRPC mutation from a public page, with `fetch` alone. Public pages stay light: the tRPC
 * client and its query cache (about 25 kB of gzip) come with the signed-in shell, not with the
 * sign-in form. The wire format is tRPC's over HTTP with the superjson transformer: the input
 * goes as `{ json }` (plain JSON values need no superjson metadata) and so does the result.
 */
export class PublicCallError extends Error {
  constructor(
    message: string,
    /** The first message per field, as the form shows it. */
    readonly fields: Record<string, string>,
  ) {
    super(message);
    this.name = "PublicCallError";
  }
}

const UNREACHABLE = "We could not reach Kindred. Check your connection and try again.";

type Envelope = {
  result?: { data?: { json?: unknown } };
  error?: { json?: { message?: string; data?: { fieldErrors?: Record<string, string[]> | null } } };
};

export async function publicMutation<T>(
  procedure: string,
  input: Record<string, unknown>,
): Promise<T> {
  let body: Envelope;
  try {
    const response = await fetch(`/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
    body = (await response.json()) as Envelope;
  } catch {
    throw new PublicCallError(UNREACHABLE, {});
  }
  if (body.error) {
    const error = body.error.json;
    const fields: Record<string, string> = {};
    for (const [key, messages] of Object.entries(error?.data?.fieldErrors ?? {})) {
      if (messages?.[0]) fields[key] = messages[0];
    }
    throw new PublicCallError(error?.message ?? UNREACHABLE, fields);
  }
  return body.result?.data?.json as T;
}
