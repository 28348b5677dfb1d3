import { addDays, dayToDateColumn, localDay, zoneOrUtc } from "@/lib/time-zone";
import type { Db } from "../db";
import type { EmailTemplate } from "../email/render";
import { queueEmail, requeueEmail } from "../email/service";
import type { Env } from "../env";
import type { Queue } from "../jobs/queue";
import { categoryOn, NUDGE_CATEGORIES, type NudgeCategory } from "./categories";
import { inQuietHours, localMinute, reminderOn } from "./schedule";
import { signLinkToken } from "./tokens";

/**
 * The rules every nudge obeys, in one place: the member wants this category; the address is not
 * suppressed; no quiet week; at most one nudge per member and local day (the first takes the
 * day); quiet hours hold the email until they end. Each nudge carries List-Unsubscribe (one
 * click, RFC 8058) and a footer link to the preference page. The email itself is queued once per
 * dedupe key, which also goes to Resend as its idempotency key.
 */
export type NudgeOutcome =
  | { status: "queued"; emailId: string; sendAfter: Date | null }
  | { status: "already-queued"; emailId: string }
  | {
      status:
        | "off"
        | "suppressed"
        | "quiet-weeks"
        | "quiet-hours"
        | "capped"
        | "inactive"
        | "no-member";
    };

export type NudgeLinksFor = { preferences: string; unsubscribe: string; category: string };

export function nudgeLinks(
  env: Pick<Env, "appUrl" | "authSecret">,
  userId: string,
  category: NudgeCategory,
): NudgeLinksFor {
  const preferences = signLinkToken(env.authSecret, { purpose: "preferences", userId });
  const unsubscribe = signLinkToken(env.authSecret, { purpose: "unsubscribe", userId, category });
  return {
    preferences: `${env.appUrl}/email/preferences?t=${encodeURIComponent(preferences)}`,
    // A click opens a page that asks (link scanners follow links); mail clients POST here.
    unsubscribe: `${env.appUrl}/api/email/unsubscribe?t=${encodeURIComponent(unsubscribe)}`,
    category: NUDGE_CATEGORIES.find((c) => c.id === category)?.label ?? category,
  };
}

export async function queueNudge(
  db: Db,
  env: Pick<Env, "appUrl" | "authSecret">,
  queue: Queue,
  input: {
    userId: string;
    category: NudgeCategory;
    dedupeKey: string;
    template: (
      links: NudgeLinksFor,
      member: { name: string | null; timeZone: string },
    ) => EmailTemplate;
    now?: Date;
    /** Counts towards the one-a-day limit (default); live-session reminders do not. */
    daily?: boolean;
    /** Pointless after this instant: not held past it by quiet hours (not sent instead). */
    notAfter?: Date;
  },
): Promise<NudgeOutcome> {
  const now = input.now ?? new Date();
  const member = await db.user.findUnique({
    where: { id: input.userId },
    select: {
      email: true,
      name: true,
      timeZone: true,
      deactivatedAt: true,
      nudgeSettings: {
        select: { categories: true, quietStart: true, quietEnd: true, quietUntil: true },
      },
    },
  });
  if (!member) return { status: "no-member" };
  if (member.deactivatedAt) return { status: "inactive" };
  // A retry of a nudge already recorded goes straight back to the queue (it passed the rules).
  const existing = await requeueEmail(db, queue, input.dedupeKey);
  if (existing) return { status: "already-queued", emailId: existing.id };
  const settings = member.nudgeSettings;
  if (!categoryOn(settings?.categories, input.category)) return { status: "off" };
  const suppressed = await db.emailSuppression.findUnique({
    where: { address: member.email.toLowerCase() },
    select: { address: true },
  });
  if (suppressed) return { status: "suppressed" };
  const zone = zoneOrUtc(member.timeZone);
  const today = localDay(now, zone);
  if (settings?.quietUntil && today <= settings.quietUntil.toISOString().slice(0, 10)) {
    return { status: "quiet-weeks" };
  }
  let sendAfter: Date | null = null;
  const quietStart = settings?.quietStart ?? null;
  const quietEnd = settings?.quietEnd ?? null;
  if (inQuietHours(localMinute(now, zone), quietStart, quietEnd) && quietEnd !== null) {
    // Held until the quiet hours end: today's end, or tomorrow's when they wrap past midnight.
    const endToday = reminderOn(today, { timeZone: zone, minuteOfDay: quietEnd });
    sendAfter =
      endToday > now
        ? endToday
        : reminderOn(addDays(today, 1), { timeZone: zone, minuteOfDay: quietEnd });
    if (input.notAfter && sendAfter > input.notAfter) return { status: "quiet-hours" };
  }
  if (
    (input.daily ?? true) &&
    !(await takeDay(db, input.userId, today, input.category, input.dedupeKey))
  ) {
    return { status: "capped" };
  }
  const links = nudgeLinks(env, input.userId, input.category);
  const unsubscribeUrl = links.unsubscribe;
  const { emailId, created } = await queueEmail(db, queue, {
    dedupeKey: input.dedupeKey,
    category: input.category,
    to: member.email,
    template: input.template(links, { name: member.name, timeZone: zone }),
    headers: {
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    ...(sendAfter ? { sendAfter } : {}),
  });
  return created ? { status: "queued", emailId, sendAfter } : { status: "already-queued", emailId };
}

/** The day's one nudge: taken by this dedupe key (true), or by another (false: not sent). */
async function takeDay(
  db: Db,
  userId: string,
  today: string,
  category: NudgeCategory,
  dedupeKey: string,
): Promise<boolean> {
  await db.nudgeDay.createMany({
    data: [{ userId, day: dayToDateColumn(today), category, dedupeKey }],
    skipDuplicates: true,
  });
  const day = await db.nudgeDay.findUnique({
    where: { userId_day: { userId, day: dayToDateColumn(today) } },
    select: { dedupeKey: true },
  });
  return day?.dedupeKey === dedupeKey;
}
