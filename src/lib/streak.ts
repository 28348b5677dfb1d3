import { addDays, type Day } from "./days";

/**
 * Consecutive active days ending today, or ending yesterday when today has no activity yet
 * (the streak is not broken until the day is over).
 */
export function computeStreak(activeDays: Iterable<Day>, today: Day): number {
  const set = new Set(activeDays);
  let day = set.has(today) ? today : addDays(today, -1);
  let count = 0;
  while (set.has(day)) {
    count += 1;
    day = addDays(day, -1);
  }
  return count;
}
