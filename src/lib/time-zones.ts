// The IANA zone list the runtime knows, plus "UTC" (Intl omits it on some versions).
let zones: Set<string> | undefined;

export function timeZones(): string[] {
  return [...zoneSet()].sort();
}

function zoneSet(): Set<string> {
  zones ??= new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  return zones;
}

export function isTimeZone(value: string): boolean {
  return zoneSet().has(value);
}
