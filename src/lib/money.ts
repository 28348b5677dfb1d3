/**
 * Money as Stripe counts it: an integer in the currency's minor unit. Only currencies Kindred can
 * format and Stripe accepts are offered; zero-decimal ones (yen, won) have no minor unit.
 */
export const CURRENCIES = [
  "usd",
  "eur",
  "gbp",
  "cad",
  "aud",
  "nzd",
  "chf",
  "sek",
  "nok",
  "dkk",
  "jpy",
  "krw",
] as const;
export type Currency = (typeof CURRENCIES)[number];

const ZERO_DECIMAL = new Set<string>(["jpy", "krw"]);

export function isCurrency(value: string): value is Currency {
  return (CURRENCIES as readonly string[]).includes(value);
}

/** 100 for cents, 1 for zero-decimal currencies. */
export function minorPerMajor(currency: string): number {
  return ZERO_DECIMAL.has(currency.toLowerCase()) ? 1 : 100;
}

/** "$12.00", "12,00 €", "¥1,200": the amount in minor units, formatted for people. */
export function formatMoney(amount: number, currency: string, locale = "en-GB"): string {
  const c = currency.toUpperCase();
  return new Intl.NumberFormat(locale, { style: "currency", currency: c }).format(
    amount / minorPerMajor(currency),
  );
}

/**
 * Parses what a person types as a price ("12", "12.5", "12.50", "1,200") into minor units, or
 * null when it is not a plain positive amount with at most the currency's decimals.
 */
export function parseMoney(text: string, currency: string): number | null {
  const cleaned = text.trim().replace(/[,\s]/g, "");
  const decimals = minorPerMajor(currency) === 1 ? 0 : 2;
  const pattern = decimals === 0 ? /^\d{1,9}$/ : /^\d{1,9}(?:\.\d{1,2})?$/;
  if (!pattern.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  return Number(whole) * minorPerMajor(currency) + Number(fraction.padEnd(decimals, "0") || 0);
}

/** What a recurring amount is worth per month (MRR): a yearly price counts a twelfth. */
export function monthlyValue(amount: number, interval: "MONTH" | "YEAR"): number {
  return interval === "YEAR" ? amount / 12 : amount;
}
