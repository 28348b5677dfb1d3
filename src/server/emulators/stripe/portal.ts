import type Stripe from "stripe";
import type { PageResult } from "./checkout";
import { emulatorNow, newContext } from "./clock";
import { type EmuConfig, type EmuContext, hostedUrl } from "./context";
import {
  attachCard,
  attemptInvoicePayment,
  replaceCard,
  saveSubscriptionChange,
  setCancelAtPeriodEnd,
  setPauseCollection,
} from "./engine";
import { formatDate, formatMoney } from "./format";
import { cardField, type Html, html, page, readForm, redirect } from "./html";
import {
  type AnyObject,
  DECLINE_MESSAGE,
  type EmuInvoice,
  type EmuSubscription,
  INSUFFICIENT_FUNDS_MESSAGE,
  invoiceSubscriptionId,
  subscriptionItem,
  type TestCard,
  testCard,
} from "./objects";
import type { StripeEmulatorStore, StripeEmuReader, StripeEmuTx } from "./store";

/**
 * The customer portal (subscriptions, card, invoices) and the hosted invoice page. Every action
 * is a form post that acts only on the portal session's own customer, then redirects back.
 */

const NOTICES: Record<string, string> = {
  canceled: "Your subscription will end at the end of the current period.",
  kept: "Your subscription will continue.",
  paused: "Payments are paused. You will not be charged until you resume.",
  resumed: "Payments are resumed.",
  card: "Your card is updated.",
  "card-paid": "Your card is updated and the overdue invoice is paid.",
  "card-failed": "Your card is saved, but paying the overdue invoice with it failed.",
};

function planText(price: Stripe.Price, quantity: number): string {
  const amount = formatMoney((price.unit_amount ?? 0) * quantity, price.currency);
  const r = price.recurring;
  if (!r) return amount;
  return r.interval_count === 1
    ? `${amount} per ${r.interval}`
    : `${amount} every ${r.interval_count} ${r.interval}s`;
}

function statusText(sub: EmuSubscription): string {
  if (sub.pause_collection) return "Paused";
  switch (sub.status) {
    case "trialing":
      return "Free trial";
    case "active":
      return sub.cancel_at_period_end ? "Active, ending" : "Active";
    case "past_due":
      return "Payment failed";
    case "canceled":
      return "Canceled";
    default:
      return sub.status;
  }
}

function nextText(sub: EmuSubscription): [string, string] | null {
  const item = subscriptionItem(sub);
  const price = item.price;
  const amount = formatMoney((price.unit_amount ?? 0) * (item.quantity ?? 1), price.currency);
  if (sub.status === "canceled") {
    return sub.ended_at ? ["Ended on", formatDate(sub.ended_at)] : null;
  }
  if (sub.cancel_at_period_end && sub.cancel_at) return ["Ends on", formatDate(sub.cancel_at)];
  if (sub.pause_collection) return ["Next charge", "None while paused"];
  if (sub.status === "past_due" && sub._retry_at) {
    return ["Next payment attempt", `${amount} on ${formatDate(sub._retry_at)}`];
  }
  if (sub.status === "trialing" && sub.trial_end) {
    return ["Trial ends", `${formatDate(sub.trial_end)}, then ${amount}`];
  }
  return ["Next charge", `${amount} on ${formatDate(item.current_period_end)}`];
}

function actionForm(action: string, subscription: string, label: string, secondary = false): Html {
  return html`<form method="post"><input type="hidden" name="action" value="${action}"><input type="hidden" name="subscription" value="${subscription}"><button type="submit"${
    secondary ? html` class="secondary"` : ""
  }>${label}</button></form>`;
}

function pausable(sub: EmuSubscription): boolean {
  return sub.metadata?.pausable === "true" && ["active", "trialing"].includes(sub.status);
}

async function productName(reader: StripeEmuReader, price: Stripe.Price): Promise<string> {
  const product = typeof price.product === "string" ? await reader.get(price.product) : null;
  return (product as (Stripe.Product & AnyObject) | null)?.name ?? price.nickname ?? "Subscription";
}

async function portalHtml(
  store: StripeEmulatorStore,
  session: Stripe.BillingPortal.Session,
  notice: string | null,
  cardError: string | null,
  status = 200,
): Promise<Response> {
  const customer = await store.get<Stripe.Customer & AnyObject>(session.customer);
  const subs = await store.list<EmuSubscription>({
    type: "subscription",
    customer: session.customer,
    limit: 20,
  });
  const invoices = await store.list<EmuInvoice>({
    type: "invoice",
    customer: session.customer,
    limit: 12,
  });
  const pmId = customer?.invoice_settings.default_payment_method;
  const pm =
    typeof pmId === "string" ? await store.get<Stripe.PaymentMethod & AnyObject>(pmId) : null;
  const names = new Map<string, string>();
  for (const sub of subs.data) {
    names.set(sub.id, await productName(store, subscriptionItem(sub).price));
  }
  const pastDue = subs.data.some((s) => s.status === "past_due");

  const subscriptionCards = subs.data.map((sub) => {
    const item = subscriptionItem(sub);
    const next = nextText(sub);
    const open = ["trialing", "active", "past_due"].includes(sub.status);
    return html`<section class="card" aria-labelledby="h-${sub.id}">
<h2 id="h-${sub.id}">${names.get(sub.id)}</h2>
<dl>
<dt>Plan</dt><dd>${planText(item.price, item.quantity ?? 1)}</dd>
<dt>Status</dt><dd>${statusText(sub)}</dd>
${next ? html`<dt>${next[0]}</dt><dd>${next[1]}</dd>` : ""}
</dl>
${
  open
    ? html`<div class="actions">
${
  sub.cancel_at_period_end
    ? actionForm("keep", sub.id, "Keep subscription")
    : actionForm("cancel", sub.id, "Cancel at period end", true)
}
${sub.pause_collection ? actionForm("resume", sub.id, "Resume payments") : ""}
${!sub.pause_collection && pausable(sub) ? actionForm("pause", sub.id, "Pause payments", true) : ""}
</div>`
    : ""
}
</section>`;
  });

  return page(
    "Manage billing",
    html`<h1>Manage your billing</h1>
${customer?.email ? html`<p class="muted">Signed in as ${customer.email}</p>` : ""}
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
${subs.data.length ? subscriptionCards : html`<p>You have no subscriptions.</p>`}
<section class="card" aria-labelledby="h-card">
<h2 id="h-card">Card on file</h2>
<p>${pm?.card ? `${pm.card.brand[0]!.toUpperCase()}${pm.card.brand.slice(1)} ending in ${pm.card.last4}` : "No card on file."}</p>
${pastDue ? html`<p>A payment failed. Updating your card pays the overdue invoice now.</p>` : ""}
<form method="post">
<input type="hidden" name="action" value="card">
${cardField({ error: cardError, value: "", label: "New card number" })}
<button type="submit">Update card</button>
</form>
</section>
<section class="card" aria-labelledby="h-invoices">
<h2 id="h-invoices">Invoices</h2>
${
  invoices.data.length
    ? html`<table>
<thead><tr><th scope="col">Date</th><th scope="col">Amount</th><th scope="col">Status</th></tr></thead>
<tbody>
${invoices.data.map(
  (inv) =>
    html`<tr><td><a href="${inv.hosted_invoice_url ?? "#"}">${formatDate(inv.created)}</a></td><td>${formatMoney(inv.amount_due, inv.currency)}</td><td>${inv.status}</td></tr>`,
)}
</tbody>
</table>`
    : html`<p>No invoices yet.</p>`
}
</section>
${session.return_url ? html`<p><a href="${session.return_url}">Return to the site</a></p>` : ""}`,
    status,
  );
}

function cardError(card: TestCard | null): string | null {
  if (!card) {
    return "Your card number is incorrect. The simulator takes only the test card numbers listed below.";
  }
  if (card.behaviour === "declined") return `${DECLINE_MESSAGE} Your card on file is unchanged.`;
  if (card.behaviour === "insufficient_funds") {
    return `${INSUFFICIENT_FUNDS_MESSAGE} Your card on file is unchanged.`;
  }
  return null;
}

async function subscriptionAction(
  tx: StripeEmuTx,
  ctx: EmuContext,
  customer: string,
  id: string,
  action: string,
): Promise<string | null> {
  const sub = await tx.lock<EmuSubscription>(id);
  // Only this portal's customer's own subscriptions.
  if (sub?.object !== "subscription" || sub.customer !== customer) return null;
  if (!["trialing", "active", "past_due"].includes(sub.status)) return null;
  const before = structuredClone(sub);
  if (action === "cancel") setCancelAtPeriodEnd(sub, true, ctx.now);
  else if (action === "keep") setCancelAtPeriodEnd(sub, false, ctx.now);
  else if (action === "pause" && pausable(sub) && !sub.pause_collection) {
    setPauseCollection(sub, { behavior: "void", resumes_at: null });
  } else if (action === "resume" && sub.pause_collection) setPauseCollection(sub, null);
  else return null;
  await saveSubscriptionChange(tx, ctx, sub, before);
  return { cancel: "canceled", keep: "kept", pause: "paused", resume: "resumed" }[action] ?? null;
}

export async function portalPage(
  store: StripeEmulatorStore,
  config: EmuConfig,
  request: Request,
  id: string,
): Promise<PageResult> {
  const session = await store.get<Stripe.BillingPortal.Session & AnyObject>(id);
  if (session?.object !== "billing_portal.session") {
    return {
      response: page("Not found", html`<h1>This billing link is not valid</h1>`, 404),
      emitted: 0,
    };
  }
  const self = hostedUrl(config, `/portal/${id}`);
  if (request.method !== "POST") {
    const done = new URL(request.url).searchParams.get("done");
    return {
      response: await portalHtml(store, session, NOTICES[done ?? ""] ?? null, null),
      emitted: 0,
    };
  }
  const form = await readForm(request);
  const action = form.get("action") ?? "";
  const ctx = newContext(config, await emulatorNow(store));
  if (action === "card") {
    const card = testCard((form.get("card") ?? "").slice(0, 40));
    const error = cardError(card);
    if (error) {
      return {
        response: await portalHtml(store, session, null, error, card ? 402 : 400),
        emitted: 0,
      };
    }
    const result = await store.transaction((tx) => replaceCard(tx, ctx, session.customer, card!));
    const done = result.failed ? "card-failed" : result.paid ? "card-paid" : "card";
    return { response: redirect(`${self}?done=${done}`), emitted: ctx.emitted };
  }
  const subscription = (form.get("subscription") ?? "").slice(0, 100);
  const done = await store.transaction((tx) =>
    subscriptionAction(tx, ctx, session.customer, subscription, action),
  );
  return { response: redirect(done ? `${self}?done=${done}` : self), emitted: ctx.emitted };
}

// ─── The hosted invoice page ────────────────────────────────────────────────────────────────

function invoiceHtml(invoice: EmuInvoice, error: string | null, paid: boolean, status = 200) {
  const line = invoice.lines.data[0];
  return page(
    `Invoice ${invoice.number ?? invoice.id}`,
    html`<h1>Invoice ${invoice.number ?? ""}</h1>
${paid ? html`<p class="notice" role="status">Thank you: this invoice is paid.</p>` : ""}
<div class="card">
<p class="amount">${formatMoney(invoice.amount_due, invoice.currency)}</p>
<dl>
<dt>Status</dt><dd>${invoice.status}</dd>
<dt>Date</dt><dd>${formatDate(invoice.created)}</dd>
${line ? html`<dt>Period</dt><dd>${formatDate(line.period.start)} to ${formatDate(line.period.end)}</dd>` : ""}
${invoice.customer_email ? html`<dt>Billed to</dt><dd>${invoice.customer_email}</dd>` : ""}
</dl>
</div>
${
  invoice.status === "open"
    ? html`<form method="post">
${cardField({ error, value: "" })}
<button type="submit">Pay ${formatMoney(invoice.amount_remaining, invoice.currency)}</button>
</form>`
    : ""
}`,
    status,
  );
}

export async function invoicePage(
  store: StripeEmulatorStore,
  config: EmuConfig,
  request: Request,
  id: string,
): Promise<PageResult> {
  const invoice = await store.get<EmuInvoice>(id);
  if (invoice?.object !== "invoice") {
    return {
      response: page("Not found", html`<h1>This invoice link is not valid</h1>`, 404),
      emitted: 0,
    };
  }
  if (request.method !== "POST") {
    const paid = new URL(request.url).searchParams.get("done") === "paid";
    return { response: invoiceHtml(invoice, null, paid), emitted: 0 };
  }
  const form = await readForm(request);
  const card = testCard((form.get("card") ?? "").slice(0, 40));
  const error = cardError(card);
  if (error || invoice.status !== "open") {
    return { response: invoiceHtml(invoice, error, false, error ? 402 : 200), emitted: 0 };
  }
  const ctx = newContext(config, await emulatorNow(store));
  const paid = await store.transaction(async (tx) => {
    // Customer, subscription, then invoice: the order every writer locks in.
    await tx.lock(invoice.customer as string);
    const subId = invoiceSubscriptionId(invoice);
    const sub = subId ? await tx.lock<EmuSubscription>(subId) : null;
    const locked = await tx.lock<EmuInvoice>(id);
    if (locked?.status !== "open") return false;
    const pm = await attachCard(tx, ctx, card!, locked.customer as string, locked.customer_email);
    const ok = await attemptInvoicePayment(tx, ctx, locked, pm, sub?._retry_at ?? null);
    if (ok && sub?.status === "past_due" && sub.latest_invoice === locked.id) {
      const before = structuredClone(sub);
      sub.status = "active";
      sub._retry_at = null;
      await saveSubscriptionChange(tx, ctx, sub, before);
    }
    return ok;
  });
  const self = hostedUrl(config, `/invoices/${id}`);
  if (!paid) {
    const fresh = (await store.get<EmuInvoice>(id))!;
    return {
      response: invoiceHtml(fresh, `${DECLINE_MESSAGE} Try another card.`, false, 402),
      emitted: ctx.emitted,
    };
  }
  return { response: redirect(`${self}?done=paid`), emitted: ctx.emitted };
}
