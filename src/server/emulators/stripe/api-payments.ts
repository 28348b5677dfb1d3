import type Stripe from "stripe";
import { getOrThrow, refundCharge } from "./engine";
import { invalidRequest, noSuch } from "./errors";
import type { AnyObject } from "./objects";
import {
  allowOnly,
  applyMetadata,
  oneOf,
  optionalInteger,
  optionalList,
  optionalString,
} from "./params";
import { type ApiCall, get, idFilter, listPage, post, type Route } from "./routes";
import type { StripeEmuTx } from "./store";

/** PaymentIntents, charges, refunds, disputes and events. */

async function createRefund({ params, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, ["charge", "payment_intent", "amount", "reason", "metadata", "expand"]);
  const chargeId = optionalString(params, "charge");
  const piId = optionalString(params, "payment_intent");
  if (chargeId && piId) {
    throw invalidRequest(
      "You may only specify one of these parameters: charge, payment_intent.",
      "charge",
      "parameters_exclusive",
    );
  }
  let charge = chargeId;
  if (piId) {
    const pi = await getOrThrow<Stripe.PaymentIntent & AnyObject>(
      tx,
      piId,
      "payment_intent",
      "payment_intent",
      "payment_intent",
    );
    if (pi.status !== "succeeded" || typeof pi.latest_charge !== "string") {
      throw invalidRequest(
        `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
        "payment_intent",
      );
    }
    charge = pi.latest_charge;
  }
  if (!charge) {
    throw invalidRequest(
      "One of the following params should be provided for this request: payment_intent or charge.",
      undefined,
      "parameter_missing",
    );
  }
  const refund = await refundCharge(tx, ctx, {
    charge,
    param: piId ? "payment_intent" : "charge",
    amount: optionalInteger(params, "amount", { min: 1 }),
    reason:
      oneOf(
        optionalString(params, "reason"),
        ["duplicate", "fraudulent", "requested_by_customer"] as const,
        "reason",
      ) ?? null,
    metadata: applyMetadata({}, params),
  });
  return refund as Stripe.Refund & AnyObject;
}

const PAGE = ["limit", "starting_after", "ending_before", "expand"];

export const paymentRoutes: Route[] = [
  get("/v1/payment_intents", ({ params }, reader) => {
    allowOnly(params, ["customer", ...PAGE]);
    const customer = idFilter(params, "customer");
    return listPage(
      reader,
      params,
      { type: "payment_intent", ...(customer ? { customer } : {}) },
      "/v1/payment_intents",
    );
  }),
  get("/v1/payment_intents/:id", ({ ids }, reader) =>
    getOrThrow(reader, ids[0]!, "payment_intent", "payment_intent"),
  ),
  get("/v1/charges", ({ params }, reader) => {
    allowOnly(params, ["customer", "payment_intent", ...PAGE]);
    const customer = idFilter(params, "customer");
    const pi = idFilter(params, "payment_intent");
    return listPage(
      reader,
      params,
      {
        type: "charge",
        ...(customer ? { customer } : {}),
        ...(pi ? { contains: { payment_intent: pi } } : {}),
      },
      "/v1/charges",
    );
  }),
  get("/v1/charges/:id", ({ ids }, reader) => getOrThrow(reader, ids[0]!, "charge", "charge")),
  post("/v1/refunds", createRefund),
  get("/v1/refunds", ({ params }, reader) => {
    allowOnly(params, ["charge", "payment_intent", ...PAGE]);
    const contains: Record<string, unknown> = {};
    for (const name of ["charge", "payment_intent"]) {
      const value = idFilter(params, name);
      if (value) contains[name] = value;
    }
    return listPage(reader, params, { type: "refund", contains }, "/v1/refunds");
  }),
  get("/v1/refunds/:id", ({ ids }, reader) => getOrThrow(reader, ids[0]!, "refund", "refund")),
  get("/v1/disputes", ({ params }, reader) => {
    allowOnly(params, ["charge", "payment_intent", ...PAGE]);
    const contains: Record<string, unknown> = {};
    for (const name of ["charge", "payment_intent"]) {
      const value = idFilter(params, name);
      if (value) contains[name] = value;
    }
    return listPage(reader, params, { type: "dispute", contains }, "/v1/disputes");
  }),
  get("/v1/disputes/:id", ({ ids }, reader) => getOrThrow(reader, ids[0]!, "dispute", "dispute")),
  get("/v1/events", ({ params }, reader) => {
    allowOnly(params, ["type", "types", "delivery_success", ...PAGE]);
    const type = optionalString(params, "type");
    const types = optionalList(params, "types");
    if (type && types) {
      throw invalidRequest(
        "You may only specify one of these parameters: type, types.",
        "type",
        "parameters_exclusive",
      );
    }
    if (type?.includes("*") && !/^[a-z_.]+\.\*$/.test(type)) {
      throw invalidRequest("A wildcard may only end the type: charge.dispute.*", "type");
    }
    const wanted = types?.map((t) => {
      if (typeof t !== "string") throw invalidRequest("Invalid array: types", "types");
      return t;
    });
    return listPage(
      reader,
      params,
      {
        type: "event",
        ...(type && !type.includes("*") ? { fieldIn: { type: [type] } } : {}),
        ...(type?.includes("*") ? { fieldPrefix: { type: type.slice(0, -1) } } : {}),
        ...(wanted ? { fieldIn: { type: wanted } } : {}),
      },
      "/v1/events",
    );
  }),
  get("/v1/events/:id", async ({ ids }, reader) => {
    const event = await reader.get(ids[0]!);
    if (event?.object !== "event") throw noSuch("event", ids[0]!);
    return event;
  }),
];
