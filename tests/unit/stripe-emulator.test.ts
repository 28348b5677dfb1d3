import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { periodEndAfter } from "@/server/emulators/stripe/engine";
import { StripeApiError } from "@/server/emulators/stripe/errors";
import { escapeHtml, html } from "@/server/emulators/stripe/html";
import { testCard, toApi } from "@/server/emulators/stripe/objects";
import { applyMetadata, canonicalParams, parseParams } from "@/server/emulators/stripe/params";
import { signatureHeader } from "@/server/emulators/stripe/webhooks";

const parse = (query: string) => parseParams(new URLSearchParams(query));
const at = (iso: string) => Date.parse(iso) / 1000;
const iso = (unix: number) => new Date(unix * 1000).toISOString();
const monthly = { interval: "month", interval_count: 1 } as Stripe.Price.Recurring;

describe("Stripe's form encoding", () => {
  it("reads nested hashes, indexed lists and expand[]", () => {
    expect(
      parse(
        "mode=subscription&line_items[0][price]=price_1&line_items[0][quantity]=2" +
          "&subscription_data[metadata][plan]=gold&expand[]=line_items&expand[]=customer",
      ),
    ).toEqual({
      mode: "subscription",
      line_items: [{ price: "price_1", quantity: "2" }],
      subscription_data: { metadata: { plan: "gold" } },
      expand: ["line_items", "customer"],
    });
    // What the SDK sends for expand: indexed, with encoded brackets.
    expect(parse("expand%5B0%5D=a&expand%5B1%5D=b.c")).toEqual({ expand: ["a", "b.c"] });
    // Keys that are not 0..n-1 stay a hash.
    expect(parse("metadata[7]=x")).toEqual({ metadata: { "7": "x" } });
    expect(parse("pause_collection=")).toEqual({ pause_collection: "" });
  });

  it("refuses prototype keys, control characters and a value given as both kinds", () => {
    for (const query of [
      "__proto__[x]=1",
      "metadata[constructor]=1",
      "name=a%00b",
      "a=1&a[b]=2",
      "a[b]=2&a=1",
    ]) {
      expect(() => parse(query), query).toThrow(StripeApiError);
    }
  });

  it("canonicalises parameters so a replay with the same values in another order matches", () => {
    expect(canonicalParams(parse("a=1&b[c]=2&b[d]=3"))).toBe(
      canonicalParams(parse("b[d]=3&a=1&b[c]=2")),
    );
    expect(canonicalParams(parse("a=1"))).not.toBe(canonicalParams(parse("a=2")));
  });

  it("merges metadata as Stripe does: '' removes a key, metadata='' clears all", () => {
    const current = { a: "1", b: "2" };
    expect(applyMetadata(current, parse("metadata[b]=&metadata[c]=3"))).toEqual({ a: "1", c: "3" });
    expect(applyMetadata(current, parse("metadata="))).toEqual({});
    expect(applyMetadata(current, parse("name=x"))).toBe(current);
    expect(() => applyMetadata({}, parse(`metadata[${"k".repeat(41)}]=v`))).toThrow(
      /up to 40 characters/,
    );
  });
});

describe("billing periods", () => {
  it("renews monthly from the anchor, on the last day of shorter months", () => {
    const anchor = at("2027-01-31T10:00:00Z");
    const feb = periodEndAfter(anchor, monthly, anchor);
    expect(iso(feb)).toBe("2027-02-28T10:00:00.000Z");
    const mar = periodEndAfter(anchor, monthly, feb);
    expect(iso(mar)).toBe("2027-03-31T10:00:00.000Z");
    const yearly = { interval: "year", interval_count: 1 } as Stripe.Price.Recurring;
    expect(
      iso(periodEndAfter(at("2028-02-29T00:00:00Z"), yearly, at("2028-02-29T00:00:00Z"))),
    ).toBe("2029-02-28T00:00:00.000Z");
  });
});

describe("test cards, output and signatures", () => {
  it("knows Stripe's test numbers with or without spaces", () => {
    expect(testCard("4242 4242 4242 4242")?.behaviour).toBe("succeeds");
    expect(testCard("4000-0000-0000-0002")?.behaviour).toBe("declined");
    expect(testCard("4000000000000341")?.behaviour).toBe("fails_later");
    expect(testCard("4111 1111 1111 1111")).toBeNull();
  });

  it("never returns the emulator's private bookkeeping", () => {
    expect(toApi({ id: "sub_1", _retry_at: 5, items: { data: [{ _x: 1, id: "si_1" }] } })).toEqual({
      id: "sub_1",
      items: { data: [{ id: "si_1" }] },
    });
  });

  it("escapes every interpolated value in pages", () => {
    expect(html`<p title="${'"><script>'}">${"<b>&"}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;&amp;</p>',
    );
    expect(escapeHtml("'")).toBe("&#39;");
  });

  it("signs like Stripe: the SDK's constructEvent accepts the header", () => {
    const secret = "whsec_unit";
    const payload = JSON.stringify({ id: "evt_1", object: "event", type: "ping", data: {} });
    const header = signatureHeader(payload, secret, Math.floor(Date.now() / 1000));
    const stripe = new Stripe("sk_test_unit");
    expect(stripe.webhooks.constructEvent(payload, header, secret).id).toBe("evt_1");
    const old = signatureHeader(payload, secret, Math.floor(Date.now() / 1000) - 3600);
    expect(() => stripe.webhooks.constructEvent(payload, old, secret)).toThrow(/tolerance/);
  });
});
