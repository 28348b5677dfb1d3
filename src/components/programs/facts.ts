import { formatMoney } from "@/lib/money";
import type { Price } from "@/server/player/selling";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Free", "Included in membership", "€49" or "€9 a month". */
export function priceText(price: Price): string {
  switch (price.kind) {
    case "free":
      return "Free";
    case "membership":
      return price.once
        ? `Included in membership, or ${formatMoney(price.once.amount, price.once.currency)} once`
        : "Included in membership";
    case "unavailable":
      return "Not on sale yet";
    case "price": {
      const money = formatMoney(price.amount, price.currency);
      return price.interval ? `${money} a ${price.interval === "YEAR" ? "year" : "month"}` : money;
    }
  }
}

export function lengthText(modules: number, steps: number): string {
  return `${plural(modules, "module")} · ${plural(steps, "step")}`;
}

/** The whole program at the coach's minutes per step, in words. */
export function timeText(minutesPerStep: number, steps: number): string {
  const total = minutesPerStep * steps;
  const whole =
    total < 60
      ? plural(total, "minute")
      : `about ${plural(Math.round(total / 30) / 2, "hour")}`.replace(".5 hours", "½ hours");
  return `${minutesPerStep} min a step · ${whole} in all`;
}

export function membersText(members: number): string {
  return members === 0 ? "Be the first to join" : `${plural(members, "member")} joined`;
}
