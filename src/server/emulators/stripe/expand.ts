import { invalidRequest } from "./errors";
import { type AnyObject, listObject } from "./objects";
import type { StripeEmuReader } from "./store";

/**
 * `expand[]`: ids replaced by their objects, dotted paths through objects, lists and arrays
 * (`data.customer`, `latest_invoice.payments`), up to Stripe's four levels. A few lists that
 * Stripe includes only when asked are computed here.
 */
const MAX_DEPTH = 4;

type Node = Record<string, unknown>;

async function computed(reader: StripeEmuReader, node: Node, field: string): Promise<unknown> {
  const id = node.id as string;
  const page = async (type: string, contains: Record<string, unknown>, url: string) => {
    const { data, hasMore } = await reader.list({ type, contains, limit: 100 });
    return listObject(data, url, hasMore);
  };
  switch (`${node.object}.${field}`) {
    case "checkout.session.line_items":
      return listObject(
        (node._line_items as unknown[]) ?? [],
        `/v1/checkout/sessions/${id}/line_items`,
        false,
      );
    case "invoice.payments":
      return page("invoice_payment", { invoice: id }, `/v1/invoices/${id}/payments`);
    case "charge.refunds":
      return page("refund", { charge: id }, `/v1/charges/${id}/refunds`);
    case "customer.subscriptions":
      return page("subscription", { customer: id }, `/v1/customers/${id}/subscriptions`);
    default:
      return undefined;
  }
}

async function expandPath(
  reader: StripeEmuReader,
  node: unknown,
  segments: string[],
  full: string,
): Promise<unknown> {
  if (Array.isArray(node)) {
    return Promise.all(node.map((item) => expandPath(reader, item, segments, full)));
  }
  const cannot = () => invalidRequest(`This property cannot be expanded (${full}).`, "expand");
  if (!node || typeof node !== "object") throw cannot();
  const object = node as Node;
  const [head, ...rest] = segments;
  if (!head || head.startsWith("_")) throw cannot();
  let value = object[head];
  if (value === undefined) {
    value = await computed(reader, object, head);
    if (value === undefined) throw cannot();
  } else if (typeof value === "string") {
    const found = await reader.get<AnyObject>(value);
    if (!found) throw cannot();
    value = found;
  }
  if (value === null) return object;
  if (rest.length) value = await expandPath(reader, value, rest, full);
  object[head] = value;
  return object;
}

export async function expand<T>(reader: StripeEmuReader, value: T, paths: string[]): Promise<T> {
  let out: unknown = value;
  for (const path of paths) {
    const segments = path.split(".");
    if (segments.length > MAX_DEPTH) {
      throw invalidRequest(
        `You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`,
        "expand",
      );
    }
    out = await expandPath(reader, out, segments, path);
  }
  return out as T;
}
