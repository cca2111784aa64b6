// Wall-clock times in IANA zones for the Vambe emulator: Vambe takes a due as local date + "HH:MM" + zone and
// answers with the instant (`due_at`), so the emulator turns one into the other with the platform's Intl data.
import { DAY_MS } from "../framework/Fake.ts"

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatter = (zone: string): Intl.DateTimeFormat => {
  const found = formatters.get(zone)
  if (found !== undefined) return found
  const made = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  })
  formatters.set(zone, made)
  return made
}

/** Whether `zone` is an IANA zone the platform knows ("America/Santiago"). */
export const isZone = (zone: string): boolean => {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false
  try {
    formatter(zone)
    return true
  } catch {
    return false
  }
}

/** The wall-clock fields of `utcMs` in `zone`, as if they were UTC (so differences are the zone's offset). */
const wallAsUtc = (utcMs: number, zone: string): number => {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  )
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  )
}

/** The instant at which the wall clock in `zone` reads `date` `time` (the earlier one in a DST fold [I]). */
export const wallToUtc = (date: string, time: string, zone: string): number => {
  const naive = Date.parse(`${date}T${time}:00Z`)
  const first = naive - (wallAsUtc(naive, zone) - naive)
  const second = naive - (wallAsUtc(first, zone) - first)
  return Math.min(first, second)
}

/** The local calendar date ("YYYY-MM-DD") of `utcMs` in `zone`. */
export const localDate = (utcMs: number, zone: string): string =>
  new Date(Math.floor(wallAsUtc(utcMs, zone) / DAY_MS) * DAY_MS).toISOString().slice(0, 10)

/** The local wall time ("HH:MM") of `utcMs` in `zone`. */
export const localTime = (utcMs: number, zone: string): string =>
  new Date(wallAsUtc(utcMs, zone)).toISOString().slice(11, 16)
