// Calendar arithmetic in a clinic's zone, on the runtime's own zone database (Intl): a request's dates are
// "interpreted in the clinic's timezone" [D], so "today", a slot's local hour and a date's weekday are all zoned.
import { DAY_MS, isoDate, parseIsoDate } from "../framework/Fake.ts"
import { WEEKDAYS } from "./Enums.ts"

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatter = (zone: string): Intl.DateTimeFormat => {
  let found = formatters.get(zone)
  if (found === undefined) {
    found = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
    formatters.set(zone, found)
  }
  return found
}

/** The wall-clock fields of `ms` in `zone`. */
const wall = (ms: number, zone: string) => {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  )
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  }
}

/** "YYYY-MM-DD" of the instant `ms` in `zone`. */
export const dateIn = (ms: number, zone: string): string => {
  const w = wall(ms, zone)
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`
}

/** The instant at `hour`:00 local time on `date` in `zone` (DST gaps resolve to the later side). */
export const localInstant = (date: string, hour: number, zone: string): number => {
  const days = parseIsoDate(date)
  if (days === undefined) throw new RangeError(`not a date: ${date}`)
  const target = days * DAY_MS + hour * 3_600_000
  let guess = target
  for (let i = 0; i < 2; i++) {
    const w = wall(guess, zone)
    const seen = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
    guess += target - seen
  }
  return guess
}

/** The date `n` days after `date`. */
export const addDays = (date: string, n: number): string => isoDate((parseIsoDate(date) ?? 0) + n)

/** MONDAY … SUNDAY for a calendar date. */
export const weekdayOf = (date: string): string => {
  const days = parseIsoDate(date) ?? 0
  // 1970-01-01 was a Thursday (index 3 in MONDAY-first order).
  return WEEKDAYS[(((days + 3) % 7) + 7) % 7] ?? "MONDAY"
}

/** Local start hour of each preferred part of the day [I: Spry does not define the slots' hours]. */
export const SLOT_HOURS: Readonly<Record<string, ReadonlyArray<number>>> = {
  MORNING: [8, 9, 10, 11],
  AFTERNOON: [12, 13, 14, 15, 16],
  EVENING: [17, 18],
  ANYTIME: [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18],
}
