import type Stripe from "stripe";
import { cancelSubscriptionNow, getOrThrow, lockOrThrow } from "./engine";
import { invalidRequest, noSuch } from "./errors";
import {
  type AnyObject,
  customerObject,
  type EmuSubscription,
  type Interval,
  priceObject,
  productObject,
} from "./objects";
import {
  allowOnly,
  applyMetadata,
  nullableString,
  oneOf,
  optionalBoolean,
  optionalHash,
  optionalInteger,
  optionalString,
  type Params,
  requiredString,
} from "./params";
import { type ApiCall, del, get, idFilter, listPage, post, type Route } from "./routes";
import type { StripeEmuTx } from "./store";
import { emitEvent } from "./webhooks";

/** Customers, products, prices and saved cards. */

type Customer = Stripe.Customer & AnyObject;
type Product = Stripe.Product & AnyObject;
type Price = Stripe.Price & AnyObject;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function email(params: Params): string | null | undefined {
  const value = nullableString(params, "email");
  if (value && (value.length > 512 || !EMAIL.test(value))) {
    throw invalidRequest(`Invalid email address: ${value}`, "email", "email_invalid");
  }
  return value;
}

async function defaultPaymentMethodParam(
  tx: StripeEmuTx,
  customer: string,
  params: Params,
): Promise<string | null | undefined> {
  const settings = optionalHash(params, "invoice_settings");
  if (!settings) return undefined;
  allowOnly(settings, ["default_payment_method"], "invoice_settings");
  const pm = nullableString(settings, "default_payment_method");
  if (pm) {
    const found = await tx.get<Stripe.PaymentMethod & AnyObject>(pm);
    if (found?.object !== "payment_method" || found.customer !== customer) {
      throw invalidRequest(
        `The customer does not have a payment method with the ID ${pm}. The payment method must be attached to the customer.`,
        "invoice_settings[default_payment_method]",
        "resource_missing",
      );
    }
  }
  return pm;
}

const CUSTOMER_FIELDS = ["email", "name", "description", "phone", "metadata", "invoice_settings"];

async function createCustomer({ params, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, [...CUSTOMER_FIELDS, "expand"]);
  const customer = customerObject({
    created: ctx.now,
    email: email(params) ?? null,
    name: nullableString(params, "name") ?? null,
    description: nullableString(params, "description") ?? null,
    phone: nullableString(params, "phone") ?? null,
    metadata: applyMetadata({}, params),
  }) as Customer;
  const pm = await defaultPaymentMethodParam(tx, customer.id, params);
  if (pm) customer.invoice_settings.default_payment_method = pm;
  await tx.insert(customer);
  await emitEvent(tx, ctx, "customer.created", customer);
  return customer;
}

async function updateCustomer({ params, ids, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, [...CUSTOMER_FIELDS, "expand"]);
  const customer = await lockOrThrow<Customer>(tx, ids[0]!, "customer", "customer");
  const before = structuredClone(customer);
  const newEmail = email(params);
  if (newEmail !== undefined) customer.email = newEmail;
  for (const field of ["name", "description", "phone"] as const) {
    const value = nullableString(params, field);
    if (value !== undefined) customer[field] = value;
  }
  customer.metadata = applyMetadata(customer.metadata, params);
  const pm = await defaultPaymentMethodParam(tx, customer.id, params);
  if (pm !== undefined) customer.invoice_settings.default_payment_method = pm;
  if (JSON.stringify(before) !== JSON.stringify(customer)) {
    await tx.update(customer);
    await emitEvent(tx, ctx, "customer.updated", customer, before);
  }
  return customer;
}

/**
 * DELETE /v1/customers/:id, as Stripe does it: the customer's subscriptions end at once (each
 * with its customer.subscription.deleted event), the customer is replaced by the stub
 * `{ id, object: "customer", deleted: true }` (its email and name are gone from the store),
 * retrieving it answers that stub, and deleting it again is a 404.
 */
async function deleteCustomer({ params, ids, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, []);
  const customer = await lockOrThrow<Customer>(tx, ids[0]!, "customer", "customer");
  for (;;) {
    const { data } = await tx.list<EmuSubscription & AnyObject>({
      type: "subscription",
      customer: customer.id,
      fieldNotIn: { status: ["canceled", "incomplete_expired"] },
      limit: 100,
    });
    if (data.length === 0) break;
    for (const sub of data) {
      const locked = await lockOrThrow<EmuSubscription & AnyObject>(
        tx,
        sub.id,
        "subscription",
        "subscription",
      );
      await cancelSubscriptionNow(tx, ctx, locked);
    }
  }
  const stub = { id: customer.id, object: "customer", deleted: true };
  await tx.update(stub);
  await emitEvent(tx, ctx, "customer.deleted", customer);
  return stub;
}

const PRODUCT_FIELDS = ["name", "description", "active", "metadata"];

async function createProduct({ params, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, [...PRODUCT_FIELDS, "id", "expand"]);
  const id = optionalString(params, "id");
  if (id !== undefined && !/^[A-Za-z0-9_-]{1,200}$/.test(id)) {
    throw invalidRequest("Invalid product id", "id");
  }
  if (id && (await tx.get(id))) {
    throw invalidRequest(`Product already exists.`, "id", "resource_already_exists");
  }
  const product = productObject({
    id,
    created: ctx.now,
    name: requiredString(params, "name"),
    description: nullableString(params, "description") ?? null,
    active: optionalBoolean(params, "active") ?? true,
    metadata: applyMetadata({}, params),
  }) as Product;
  await tx.insert(product);
  await emitEvent(tx, ctx, "product.created", product);
  return product;
}

async function updateProduct({ params, ids, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, [...PRODUCT_FIELDS, "expand"]);
  const product = await lockOrThrow<Product>(tx, ids[0]!, "product", "product");
  const before = structuredClone(product);
  if (params.name !== undefined) product.name = requiredString(params, "name");
  const description = nullableString(params, "description");
  if (description !== undefined) product.description = description;
  product.active = optionalBoolean(params, "active") ?? product.active;
  product.metadata = applyMetadata(product.metadata, params);
  if (JSON.stringify(before) !== JSON.stringify(product)) {
    product.updated = ctx.now;
    await tx.update(product);
    await emitEvent(tx, ctx, "product.updated", product, before);
  }
  return product;
}

async function createPrice({ params, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, [
    "product",
    "product_data",
    "unit_amount",
    "currency",
    "recurring",
    "active",
    "nickname",
    "lookup_key",
    "metadata",
    "expand",
  ]);
  let productId = optionalString(params, "product");
  const productData = optionalHash(params, "product_data");
  if (productId && productData) {
    throw invalidRequest(
      "You may only specify one of these parameters: product, product_data.",
      "product",
      "parameters_exclusive",
    );
  }
  if (productData) {
    allowOnly(productData, ["name", "metadata"], "product_data");
    const product = productObject({
      created: ctx.now,
      name: requiredString(productData, "name", "product_data[name]"),
      description: null,
      active: true,
      metadata: applyMetadata({}, productData),
    }) as Product;
    await tx.insert(product);
    await emitEvent(tx, ctx, "product.created", product);
    productId = product.id;
  } else if (!productId) {
    throw invalidRequest("Missing required param: product.", "product", "parameter_missing");
  } else {
    await getOrThrow(tx, productId, "product", "product", "product");
  }
  const unitAmount = optionalInteger(params, "unit_amount", { min: 0, max: 99_999_999 });
  if (unitAmount === undefined) {
    throw invalidRequest(
      "Missing required param: unit_amount.",
      "unit_amount",
      "parameter_missing",
    );
  }
  const currency = requiredString(params, "currency").toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) {
    throw invalidRequest(`Invalid currency: ${currency}.`, "currency", "parameter_invalid");
  }
  const recurringParams = optionalHash(params, "recurring");
  let recurring: { interval: Interval; intervalCount: number } | null = null;
  if (recurringParams) {
    allowOnly(recurringParams, ["interval", "interval_count"], "recurring");
    const interval = oneOf(
      requiredString(recurringParams, "interval", "recurring[interval]"),
      ["day", "week", "month", "year"] as const,
      "recurring[interval]",
    )!;
    const intervalCount =
      optionalInteger(recurringParams, "interval_count", {
        min: 1,
        max: interval === "year" ? 3 : interval === "month" ? 36 : 156,
        label: "recurring[interval_count]",
      }) ?? 1;
    recurring = { interval, intervalCount };
  }
  const price = priceObject({
    created: ctx.now,
    product: productId,
    unitAmount,
    currency,
    recurring,
    active: optionalBoolean(params, "active") ?? true,
    nickname: nullableString(params, "nickname") ?? null,
    lookupKey: nullableString(params, "lookup_key") ?? null,
    metadata: applyMetadata({}, params),
  }) as Price;
  await tx.insert(price);
  await emitEvent(tx, ctx, "price.created", price);
  return price;
}

async function updatePrice({ params, ids, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, ["active", "nickname", "lookup_key", "metadata", "expand"]);
  const price = await lockOrThrow<Price>(tx, ids[0]!, "price", "price");
  const before = structuredClone(price);
  price.active = optionalBoolean(params, "active") ?? price.active;
  const nickname = nullableString(params, "nickname");
  if (nickname !== undefined) price.nickname = nickname;
  const lookupKey = nullableString(params, "lookup_key");
  if (lookupKey !== undefined) price.lookup_key = lookupKey;
  price.metadata = applyMetadata(price.metadata, params);
  if (JSON.stringify(before) !== JSON.stringify(price)) {
    await tx.update(price);
    await emitEvent(tx, ctx, "price.updated", price, before);
  }
  return price;
}

function activeFilter(params: Params): Record<string, unknown> {
  const active = optionalBoolean(params, "active");
  return active === undefined ? {} : { active };
}

export const catalogRoutes: Route[] = [
  post("/v1/customers", createCustomer),
  get("/v1/customers", async ({ params }, reader) => {
    allowOnly(params, ["email", "limit", "starting_after", "ending_before", "expand"]);
    const address = optionalString(params, "email");
    return listPage(
      reader,
      params,
      { type: "customer", ...(address ? { contains: { email: address } } : {}) },
      "/v1/customers",
    );
  }),
  // A deleted customer is still retrievable, as its stub (Stripe's DeletedCustomer).
  get("/v1/customers/:id", async ({ ids }, reader) => {
    const found = await reader.get<Customer>(ids[0]!);
    if (found?.object === "customer" && (found as { deleted?: boolean }).deleted) return found;
    return getOrThrow<Customer>(reader, ids[0]!, "customer", "customer");
  }),
  post("/v1/customers/:id", updateCustomer),
  del("/v1/customers/:id", deleteCustomer),
  get("/v1/customers/:id/payment_methods", async ({ params, ids }, reader) => {
    allowOnly(params, ["type", "limit", "starting_after", "ending_before", "expand"]);
    await getOrThrow(reader, ids[0]!, "customer", "customer");
    return listPage(
      reader,
      params,
      { type: "payment_method", customer: ids[0]! },
      `/v1/customers/${ids[0]}/payment_methods`,
    );
  }),

  post("/v1/products", createProduct),
  get("/v1/products", ({ params }, reader) => {
    allowOnly(params, ["active", "limit", "starting_after", "ending_before", "expand"]);
    return listPage(
      reader,
      params,
      { type: "product", contains: activeFilter(params) },
      "/v1/products",
    );
  }),
  get("/v1/products/:id", ({ ids }, reader) =>
    getOrThrow<Product>(reader, ids[0]!, "product", "product"),
  ),
  post("/v1/products/:id", updateProduct),

  post("/v1/prices", createPrice),
  get("/v1/prices", ({ params }, reader) => {
    allowOnly(params, [
      "product",
      "active",
      "type",
      "currency",
      "limit",
      "starting_after",
      "ending_before",
      "expand",
    ]);
    const product = idFilter(params, "product");
    const type = oneOf(optionalString(params, "type"), ["one_time", "recurring"] as const, "type");
    const currency = optionalString(params, "currency")?.toLowerCase();
    return listPage(
      reader,
      params,
      {
        type: "price",
        contains: {
          ...activeFilter(params),
          ...(product ? { product } : {}),
          ...(type ? { type } : {}),
          ...(currency ? { currency } : {}),
        },
      },
      "/v1/prices",
    );
  }),
  get("/v1/prices/:id", ({ ids }, reader) => getOrThrow<Price>(reader, ids[0]!, "price", "price")),
  post("/v1/prices/:id", updatePrice),

  get("/v1/payment_methods", async ({ params }, reader) => {
    allowOnly(params, ["customer", "type", "limit", "starting_after", "ending_before", "expand"]);
    const customer = idFilter(params, "customer");
    if (!customer) throw invalidRequest("Missing required param: customer.", "customer");
    return listPage(reader, params, { type: "payment_method", customer }, "/v1/payment_methods");
  }),
  get("/v1/payment_methods/:id", async ({ ids }, reader) => {
    const pm = await reader.get(ids[0]!);
    if (pm?.object !== "payment_method") throw noSuch("PaymentMethod", ids[0]!);
    return pm;
  }),
];
