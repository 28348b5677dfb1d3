import type { Preferences } from "@/server/nudges/preferences";
import type { PreferenceValues } from "./NudgePreferencesForm";

/** What the form starts from, out of what the server read. */
export function preferenceValues(p: Preferences): PreferenceValues {
  return {
    categories: Object.fromEntries(p.categories.map((c) => [c.id, c.on])),
    reminderTime: p.reminderTime,
    reminderDays: p.reminderDays,
    timeZone: p.timeZone,
    quietStart: p.quietStart,
    quietEnd: p.quietEnd,
    quietUntil: p.quietUntil,
  };
}
