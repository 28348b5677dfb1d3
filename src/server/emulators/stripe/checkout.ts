import type Stripe from "stripe";
import { emulatorNow, newContext } from "./clock";
import type { EmuConfig, EmuContext } from "./context";
import { attachCard, lockOrThrow, payOnce, setDefaultCard, startSubscription } from "./engine";
import { formatDate, formatMoney } from "./format";
import { cardField, type Html, html, page, readForm, redirect } from "./html";
import {
  type AnyObject,
  customerObject,
  DECLINE_MESSAGE,
  type EmuCheckoutSession,
  INSUFFICIENT_FUNDS_MESSAGE,
  type TestCard,
  testCard,
} from "./objects";
import type { StripeEmulatorStore, StripeEmuTx } from "./store";
import { emitEvent } from "./webhooks";

/**
 * The hosted Checkout page. Paying completes the session the way Stripe does: a subscription
 * (trialing, or active with a paid first invoice) or a succeeded PaymentIntent, the customer's
 * saved card, the events, then a 303 to success_url. A declined card changes nothing.
 */

export type PageResult = { response: Response; emitted: number };

const DAY = 86_400;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function successUrl(session: Stripe.Checkout.Session): string {
  return (session.success_url ?? "").replaceAll("{CHECKOUT_SESSION_ID}", session.id);
}

function intervalText(price: Stripe.Price): string {
  const r = price.recurring;
  if (!r) return "";
  return r.interval_count === 1 ? `per ${r.interval}` : `every ${r.interval_count} ${r.interval}s`;
}

function summary(session: EmuCheckoutSession, now: number): Html {
  const items = session._line_items;
  const first = items[0]!;
  const price = first.price!;
  const total = formatMoney(session.amount_total ?? 0, session.currency ?? price.currency);
  const trialDays = session._trial_period_days;
  const each = price.recurring ? ` ${intervalText(price)}` : "";
  return html`<div class="card">
<p class="muted">${session.mode === "subscription" ? "Subscription" : "One-time payment"}</p>
<ul class="plain">
${items.map(
  (item) =>
    html`<li>${item.description}${item.quantity && item.quantity > 1 ? ` × ${item.quantity}` : ""}: ${formatMoney(item.amount_total, item.currency)}${each}</li>`,
)}
</ul>
${
  trialDays
    ? html`<p class="amount">${trialDays} days free</p>
<p>Then ${total} ${intervalText(price)}, first charged on ${formatDate(now + trialDays * DAY)}.</p>`
    : html`<p class="amount">${total}${each ? html` <span class="muted">${each}</span>` : ""}</p>`
}
</div>`;
}

function checkoutPageHtml(
  session: EmuCheckoutSession,
  now: number,
  error: { card?: string; email?: string } = {},
  values: { card?: string; email?: string } = {},
  status = 200,
): Response {
  const name = session._line_items[0]?.description ?? "your order";
  const title = session.mode === "subscription" ? `Subscribe to ${name}` : `Pay for ${name}`;
  const needsEmail = !session.customer && !session.customer_email;
  const label = session._trial_period_days
    ? "Start free trial"
    : `${session.mode === "subscription" ? "Subscribe" : "Pay"} ${formatMoney(session.amount_total ?? 0, session.currency ?? "usd")}`;
  return page(
    title,
    html`<h1>${title}</h1>
${summary(session, now)}
<form method="post">
${
  needsEmail
    ? html`<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${values.email ?? ""}"${
        error.email ? html` aria-invalid="true" aria-describedby="email-error"` : ""
      }>
${error.email ? html`<p id="email-error" class="error" role="alert">${error.email}</p>` : ""}`
    : html`<p class="muted">Paying as ${session.customer_email ?? "the signed-in customer"}.</p>`
}
${cardField({ error: error.card ?? null, value: values.card })}
<button type="submit">${label}</button>
</form>
${session.cancel_url ? html`<p><a href="${session.cancel_url}">Cancel and go back</a></p>` : ""}`,
    status,
  );
}

function closedPage(session: EmuCheckoutSession): Response {
  if (session.status === "complete") {
    return page(
      "Checkout complete",
      html`<h1>This checkout is complete</h1>
<p><a href="${successUrl(session)}">Continue</a></p>`,
    );
  }
  return page(
    "Checkout expired",
    html`<h1>This checkout has expired</h1>
<p>Start again from the site to get a new checkout page.</p>
${session.cancel_url ? html`<p><a href="${session.cancel_url}">Go back</a></p>` : ""}`,
    410,
  );
}

/** What the card does to this session before anything is stored: null if it can pay. */
function cardProblem(session: EmuCheckoutSession, card: TestCard | null): string | null {
  if (!card) {
    return "Your card number is incorrect. The simulator takes only the test card numbers listed below.";
  }
  if (card.behaviour === "declined")
    return `${DECLINE_MESSAGE} Nothing was charged; try another card.`;
  if (card.behaviour === "insufficient_funds") {
    return `${INSUFFICIENT_FUNDS_MESSAGE} Nothing was charged; try another card.`;
  }
  const paysNow = session.mode === "payment" || !session._trial_period_days;
  if (card.behaviour === "fails_later" && paysNow) {
    return `${DECLINE_MESSAGE} Nothing was charged; try another card.`;
  }
  return null;
}

async function expireIfDue(tx: StripeEmuTx, ctx: EmuContext, session: EmuCheckoutSession) {
  if (session.status !== "open" || ctx.now < session.expires_at) return;
  const before = structuredClone(session);
  session.status = "expired";
  session.url = null;
  await tx.update(session);
  await emitEvent(tx, ctx, "checkout.session.expired", session, before);
}

async function complete(
  tx: StripeEmuTx,
  ctx: EmuContext,
  session: EmuCheckoutSession,
  card: TestCard,
  email: string | null,
): Promise<void> {
  const before = structuredClone(session);
  let customerId = typeof session.customer === "string" ? session.customer : null;
  let customerEmail = session.customer_email ?? email;
  if (customerId) {
    const customer = await lockOrThrow<Stripe.Customer & AnyObject>(
      tx,
      customerId,
      "customer",
      "customer",
    );
    customerEmail = customer.email ?? customerEmail;
  } else if (session.mode === "subscription" || session._customer_creation === "always") {
    const customer = customerObject({
      created: ctx.now,
      email: customerEmail,
      name: null,
      description: null,
      phone: null,
      metadata: {},
    });
    await tx.insert(customer as Stripe.Customer & AnyObject);
    await emitEvent(tx, ctx, "customer.created", customer as Stripe.Customer & AnyObject);
    customerId = customer.id;
  }
  const pm = await attachCard(tx, ctx, card, customerId, customerEmail);

  if (session.mode === "subscription") {
    await setDefaultCard(tx, ctx, customerId!, pm.id);
    const item = session._line_items[0]!;
    // The price as it is now (its snapshot in the line item is from when the session began).
    const price = (await tx.get<Stripe.Price & AnyObject>(item.price!.id)) ?? item.price!;
    const sub = await startSubscription(tx, ctx, {
      customer: customerId!,
      price,
      quantity: item.quantity ?? 1,
      trialDays: session._trial_period_days,
      metadata: session._subscription_metadata,
      pm,
    });
    session.subscription = sub.id;
    session.invoice = typeof sub.latest_invoice === "string" ? sub.latest_invoice : null;
    session.payment_status = session._trial_period_days ? "no_payment_required" : "paid";
  } else {
    const { pi } = await payOnce(tx, ctx, {
      amount: session.amount_total ?? 0,
      currency: session.currency ?? "usd",
      customer: customerId,
      description: session._payment_intent_description,
      metadata: session._payment_intent_metadata,
      pm,
    });
    session.payment_intent = pi.id;
    session.payment_status = "paid";
  }
  session.status = "complete";
  session.customer = customerId;
  session.customer_details = {
    address: null,
    business_name: null,
    email: customerEmail,
    individual_name: null,
    name: null,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };
  session.url = null;
  await tx.update(session);
  await emitEvent(tx, ctx, "checkout.session.completed", session, before);
}

export async function checkoutPage(
  store: StripeEmulatorStore,
  config: EmuConfig,
  request: Request,
  id: string,
): Promise<PageResult> {
  const notFound = {
    response: page("Checkout not found", html`<h1>This checkout link is not valid</h1>`, 404),
    emitted: 0,
  };
  const found = await store.get<EmuCheckoutSession>(id);
  if (found?.object !== "checkout.session") return notFound;
  const ctx = newContext(config, await emulatorNow(store));

  if (request.method !== "POST") {
    if (found.status === "open" && ctx.now >= found.expires_at) {
      const expired = await store.transaction(async (tx) => {
        const session = await tx.lock<EmuCheckoutSession>(id);
        await expireIfDue(tx, ctx, session!);
        return session!;
      });
      return { response: closedPage(expired), emitted: ctx.emitted };
    }
    return {
      response: found.status === "open" ? checkoutPageHtml(found, ctx.now) : closedPage(found),
      emitted: 0,
    };
  }

  const form = await readForm(request);
  const cardInput = (form.get("card") ?? "").slice(0, 40);
  const emailInput = (form.get("email") ?? "").trim().slice(0, 320);
  const needsEmail = !found.customer && !found.customer_email;
  if (needsEmail && !EMAIL.test(emailInput)) {
    return {
      response: checkoutPageHtml(
        found,
        ctx.now,
        { email: "Enter an email address, like name@example.org." },
        { card: cardInput, email: emailInput },
        400,
      ),
      emitted: 0,
    };
  }
  const card = testCard(cardInput);
  const problem = found.status === "open" ? cardProblem(found, card) : null;
  if (problem) {
    return {
      response: checkoutPageHtml(
        found,
        ctx.now,
        { card: problem },
        { card: cardInput, email: emailInput },
        card ? 402 : 400,
      ),
      emitted: 0,
    };
  }
  const session = await store.transaction(async (tx) => {
    const locked = (await tx.lock<EmuCheckoutSession>(id))!;
    await expireIfDue(tx, ctx, locked);
    // A second submit (double click, back button) finds the session complete: nothing twice.
    if (locked.status === "open") await complete(tx, ctx, locked, card!, emailInput || null);
    return locked;
  });
  return {
    response: session.status === "complete" ? redirect(successUrl(session)) : closedPage(session),
    emitted: ctx.emitted,
  };
}
