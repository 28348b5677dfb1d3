import { z } from "zod";
import { integer, isoDay, text } from "@/lib/input";
import { isTimeZone } from "@/lib/time-zone";
import { NUDGE_CATEGORY_IDS } from "./categories";
import { inQuietHours } from "./schedule";
import { TOKEN_MAX } from "./tokens";

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const time = (label: string) =>
  text({ label, max: 5, trim: false }).regex(TIME, `${label}: use a time like 19:00.`);

/** "HH:MM" → minutes after midnight. */
export function minutesOf(value: string): number {
  return Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
}

export function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

const categories = z.strictObject(
  Object.fromEntries(NUDGE_CATEGORY_IDS.map((id) => [id, z.boolean().optional()])) as Record<
    (typeof NUDGE_CATEGORY_IDS)[number],
    z.ZodOptional<z.ZodBoolean>
  >,
  { error: "Unknown email category." },
);

const fields = {
  categories,
  reminderTime: time("The reminder time"),
  reminderDays: z
    .array(
      integer({
        min: 1,
        max: 7,
        messages: { min: "Pick days of the week.", max: "Pick days of the week." },
      }),
      {
        error: "Pick days of the week.",
      },
    )
    .max(7, "Pick each day once.")
    .refine((days) => new Set(days).size === days.length, "Pick each day once."),
  timeZone: text({ label: "The time zone", max: 64, trim: false }).refine(
    isTimeZone,
    "Choose a time zone from the list (for example Europe/Berlin).",
  ),
  quietStart: time("Quiet hours start").nullable(),
  quietEnd: time("Quiet hours end").nullable(),
  quietUntil: isoDay().nullable(),
};

type Fields = {
  reminderTime: string;
  reminderDays: number[];
  quietStart: string | null;
  quietEnd: string | null;
};

function consistent(v: Fields, ctx: z.RefinementCtx) {
  if ((v.quietStart === null) !== (v.quietEnd === null)) {
    ctx.addIssue({
      code: "custom",
      path: [v.quietStart === null ? "quietStart" : "quietEnd"],
      message: "Give both ends of your quiet hours, or neither.",
    });
  } else if (v.quietStart !== null && v.quietStart === v.quietEnd) {
    ctx.addIssue({
      code: "custom",
      path: ["quietEnd"],
      message: "Quiet hours need to end at another time than they start.",
    });
  } else if (
    v.quietStart !== null &&
    v.quietEnd !== null &&
    v.reminderDays.length > 0 &&
    TIME.test(v.reminderTime) &&
    inQuietHours(minutesOf(v.reminderTime), minutesOf(v.quietStart), minutesOf(v.quietEnd))
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["reminderTime"],
      message: "Your reminder time falls in your quiet hours: choose another time.",
    });
  }
}

export const preferencesInput = z.object(fields).superRefine(consistent);

export const linkToken = text({ label: "The link", max: TOKEN_MAX, trim: false }).min(
  1,
  "The link is missing.",
);

export const preferencesWithLinkInput = z
  .object({ token: linkToken, ...fields })
  .superRefine(consistent);
export const linkInput = z.object({ token: linkToken });

export type PreferencesInput = z.infer<typeof preferencesInput>;
