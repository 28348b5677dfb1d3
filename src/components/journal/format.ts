// Display helpers shared by the journal and coach pages (server and client).
export const KIND_LABEL: Record<string, string> = {
  REFLECTION: "Reflection",
  LENSES: "Lenses",
  SCALE: "Scale 1–10",
  PEOPLE: "People",
  COMMITMENT: "Commitment",
  PRACTICE: "Practice",
};

export function formatDay(date: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone,
  }).format(new Date(date));
}

export function formatDayTime(date: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(new Date(date));
}

/** A calendar day (YYYY-MM-DD) in the member's zone, for <time dateTime> and date inputs. */
export function isoDay(date: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date(date));
}
