import type { Prisma } from "@/generated/prisma/client";
import { dateColumnDay, dayToDateColumn, zoneOrUtc } from "@/lib/time-zone";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { categoryOn, DAILY_CATEGORIES, NUDGE_CATEGORIES, type NudgeCategory } from "./categories";
import { nextReminderAt } from "./schedule";
import { minutesOf, type PreferencesInput, timeOf } from "./schemas";
import { type LinkToken, readLinkToken } from "./tokens";

type Stored = {
  categories: unknown;
  reminderMinute: number;
  reminderDays: number[];
  quietUntil: Date | null;
};

/** The next daily reminder slot for these settings, or null when every daily kind is off. */
export function plannedReminder(settings: Stored, timeZone: string, after: Date): Date | null {
  if (!DAILY_CATEGORIES.some((c) => categoryOn(settings.categories, c))) return null;
  return nextReminderAt(
    {
      timeZone: zoneOrUtc(timeZone),
      minuteOfDay: settings.reminderMinute,
      days: settings.reminderDays,
      quietUntil: settings.quietUntil ? dateColumnDay(settings.quietUntil) : null,
    },
    after,
  );
}

const DEFAULTS: Stored = {
  categories: {},
  reminderMinute: 19 * 60,
  reminderDays: [1, 2, 3, 4, 5, 6, 7],
  quietUntil: null,
};

/**
 * A member's settings row, made with the defaults the first time they have something to be
 * reminded of (an enrolment). Safe to call again: an existing row is left as it is.
 */
export async function ensureNudgeSettings(
  db: Pick<Db, "user" | "nudgeSettings">,
  userId: string,
  now = new Date(),
) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  if (!user) return;
  await db.nudgeSettings.createMany({
    data: [{ userId, nextReminderAt: plannedReminder(DEFAULTS, user.timeZone, now) }],
    skipDuplicates: true,
  });
}

export async function getPreferences(db: Db, userId: string) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { name: true, email: true, timeZone: true, nudgeSettings: true },
  });
  if (!user) throw new DomainError("NOT_FOUND", "No such member.");
  const s = user.nudgeSettings;
  const stored: Stored = s ?? DEFAULTS;
  return {
    name: user.name,
    email: user.email,
    timeZone: user.timeZone,
    categories: NUDGE_CATEGORIES.map((c) => ({
      id: c.id as NudgeCategory,
      label: c.label,
      description: c.description,
      on: categoryOn(stored.categories, c.id),
    })),
    reminderTime: timeOf(stored.reminderMinute),
    reminderDays: stored.reminderDays,
    quietStart: s?.quietStart == null ? null : timeOf(s.quietStart),
    quietEnd: s?.quietEnd == null ? null : timeOf(s.quietEnd),
    quietUntil: stored.quietUntil ? dateColumnDay(stored.quietUntil) : null,
    nextReminderAt: s?.nextReminderAt ?? null,
  };
}

export type Preferences = Awaited<ReturnType<typeof getPreferences>>;

/** Saves everything on the preference page and plans the next reminder from it. */
export async function savePreferences(
  db: Db,
  userId: string,
  input: PreferencesInput,
  now = new Date(),
) {
  const categories = Object.fromEntries(
    Object.entries(input.categories).filter(([, on]) => typeof on === "boolean"),
  ) as Prisma.InputJsonObject;
  const days = [...input.reminderDays].sort((a, b) => a - b);
  const settings = {
    categories,
    reminderMinute: minutesOf(input.reminderTime),
    reminderDays: days,
    quietStart: input.quietStart === null ? null : minutesOf(input.quietStart),
    quietEnd: input.quietEnd === null ? null : minutesOf(input.quietEnd),
    quietUntil: input.quietUntil === null ? null : dayToDateColumn(input.quietUntil),
  };
  const nextAt = plannedReminder(settings, input.timeZone, now);
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { timeZone: input.timeZone } }),
    db.nudgeSettings.upsert({
      where: { userId },
      create: { userId, ...settings, nextReminderAt: nextAt },
      update: { ...settings, nextReminderAt: nextAt },
    }),
  ]);
  return getPreferences(db, userId);
}

/** One category off at once (the one-click unsubscribe). */
export async function stopCategory(
  db: Db,
  userId: string,
  category: NudgeCategory,
  now = new Date(),
) {
  await ensureNudgeSettings(db, userId, now);
  await db.$transaction(async (tx) => {
    const row = await tx.nudgeSettings.findUniqueOrThrow({
      where: { userId },
      select: { categories: true, reminderMinute: true, reminderDays: true, quietUntil: true },
    });
    const categories = {
      ...((row.categories ?? {}) as Record<string, boolean>),
      [category]: false,
    };
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { timeZone: true },
    });
    await tx.nudgeSettings.update({
      where: { userId },
      data: {
        categories,
        nextReminderAt: plannedReminder({ ...row, categories }, user.timeZone, now),
      },
    });
  });
}

/** The member a signed link is for, or UNAUTHORIZED: the same answer whatever is wrong. */
export async function memberOfLink<P extends LinkToken["purpose"]>(
  db: Db,
  secret: string,
  token: string,
  purpose: P,
): Promise<Extract<LinkToken, { purpose: P }>> {
  const { link: parsed, expired } = readLinkToken(secret, token);
  if (expired) {
    throw new DomainError(
      "UNAUTHORIZED",
      "This link has expired. Sign in to choose which emails you get.",
    );
  }
  if (!parsed || parsed.purpose !== purpose) {
    throw new DomainError(
      "UNAUTHORIZED",
      "This link is not valid. Open the one in your latest email.",
    );
  }
  const user = await db.user.findUnique({
    where: { id: parsed.userId },
    select: { deactivatedAt: true },
  });
  if (!user || user.deactivatedAt) {
    throw new DomainError(
      "UNAUTHORIZED",
      "This link is not valid. Open the one in your latest email.",
    );
  }
  return parsed as Extract<LinkToken, { purpose: P }>;
}
