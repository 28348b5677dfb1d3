import type Stripe from "stripe";
import type { EmuContext } from "./context";
import { invalidRequest } from "./errors";
import { listObject } from "./objects";
import { optionalString, type Params, pageParams } from "./params";
import type { ListQuery, Stored, StripeEmuReader, StripeEmuTx } from "./store";

/** One API call as the route handlers see it. */
export type ApiCall = { params: Params; ids: string[]; ctx: EmuContext };

export type ApiResult = Stored | Stripe.ApiList<unknown>;
export type ReadHandler = (call: ApiCall, reader: StripeEmuReader) => Promise<ApiResult>;
export type WriteHandler = (call: ApiCall, tx: StripeEmuTx) => Promise<ApiResult>;

export type Route =
  | { method: "GET"; pattern: RegExp; read: ReadHandler }
  | { method: "POST" | "DELETE"; pattern: RegExp; write: WriteHandler };

/** "/v1/customers/:id" → a pattern whose groups are the ids. */
function compile(path: string): RegExp {
  const source = path
    .split("/")
    .map((part) => (part.startsWith(":") ? "([^/]+)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}$`);
}

export const get = (path: string, read: ReadHandler): Route => ({
  method: "GET",
  pattern: compile(path),
  read,
});
export const post = (path: string, write: WriteHandler): Route => ({
  method: "POST",
  pattern: compile(path),
  write,
});
export const del = (path: string, write: WriteHandler): Route => ({
  method: "DELETE",
  pattern: compile(path),
  write,
});

/** A list endpoint's page: `limit`, `starting_after` (an id of the same kind) and filters. */
export async function listPage(
  reader: StripeEmuReader,
  params: Params,
  query: Omit<ListQuery, "limit" | "startingAfter">,
  url: string,
): Promise<Stripe.ApiList<unknown>> {
  const { limit, startingAfter } = pageParams(params);
  if (startingAfter !== undefined) {
    const after = await reader.get(startingAfter);
    if (!after || after.object !== query.type) {
      throw invalidRequest(
        `No such ${query.type.replace(/_/g, " ")}: '${startingAfter}'`,
        "starting_after",
        "resource_missing",
      );
    }
  }
  const { data, hasMore } = await reader.list({ ...query, limit, startingAfter });
  return listObject(data, url, hasMore);
}

/** Filters that are plain ids (customer=cus_…): present or not. */
export function idFilter(params: Params, name: string): string | undefined {
  const value = optionalString(params, name);
  return value === "" ? undefined : value;
}

/** A URL Stripe would accept for success_url, cancel_url, return_url. */
export function checkUrl(value: string | undefined, param: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value.replaceAll("{CHECKOUT_SESSION_ID}", "x"));
  } catch {
    throw invalidRequest("Not a valid URL", param, "url_invalid");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidRequest("Not a valid URL", param, "url_invalid");
  }
  return value;
}
