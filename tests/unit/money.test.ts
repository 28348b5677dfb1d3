import { describe, expect, it } from "vitest";
import { formatMoney, isCurrency, monthlyValue, parseMoney } from "@/lib/money";

describe("money", () => {
  it("parses what people type into minor units", () => {
    expect(parseMoney("12", "usd")).toBe(1200);
    expect(parseMoney("12.5", "eur")).toBe(1250);
    expect(parseMoney(" 1,200.05 ", "gbp")).toBe(120005);
    expect(parseMoney("1200", "jpy")).toBe(1200);
  });

  it("refuses what is not a plain positive amount", () => {
    for (const bad of ["", "-5", "12.345", "1e3", "abc", "12.", "0x10", "١٢"]) {
      expect(parseMoney(bad, "usd")).toBeNull();
    }
    expect(parseMoney("12.50", "jpy")).toBeNull();
  });

  it("formats per currency and knows the currencies it offers", () => {
    expect(formatMoney(1250, "gbp")).toBe("£12.50");
    expect(formatMoney(1200, "jpy")).toBe("JP¥1,200");
    expect(isCurrency("usd")).toBe(true);
    expect(isCurrency("xyz")).toBe(false);
  });

  it("normalises yearly amounts to months for MRR", () => {
    expect(monthlyValue(12000, "YEAR")).toBe(1000);
    expect(monthlyValue(1500, "MONTH")).toBe(1500);
  });
});
