/**
 * Reads a request body up to `maxBytes`, refusing early on a declared Content-Length and, for
 * chunked bodies, as soon as the running total passes the cap. Route handlers get no body limit
 * from Next, so every handler that buffers a body goes through this.
 */
export class BodyTooLargeError extends Error {
  constructor(public readonly maxBytes: number) {
    super(`The request body is larger than ${Math.round(maxBytes / 1024)} KB.`);
    this.name = "BodyTooLargeError";
  }
}

export async function readBodyLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** A copy of the request whose body has been read within the limit. */
export async function withLimitedBody(request: Request, maxBytes: number): Promise<Request> {
  if (request.method === "GET" || request.method === "HEAD") return request;
  const body = await readBodyLimited(request, maxBytes);
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: body as Uint8Array<ArrayBuffer>,
  });
}

/** `readBodyLimited` for a Node request (Kindred's own server, before Next.js). */
export async function readNodeBodyLimited(
  req: import("node:http").IncomingMessage,
  maxBytes: number,
): Promise<Uint8Array> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new BodyTooLargeError(maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      req.resume();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
