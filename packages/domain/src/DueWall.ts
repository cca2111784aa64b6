// Wall-clock time in an IANA zone: turning an instant into a local date + "HH:MM" and back, refusing the wall times
// a DST jump skips and the instants a DST fall-back makes ambiguous. Vambe's due form is built on it.
import { DateTime, Option, Result, Schema } from "effect"
import { dateParts, formatPlainDate, type IanaZone, type PlainDate } from "./Due.ts"

const HOUR_MINUTE = /^(?:[01]\d|2[0-3]):[0-5]\d$/

/** A 24-hour "HH:MM" wall-clock time (Vambe's `dueTime`). */
export const HourMinute = Schema.String.check(Schema.isPattern(HOUR_MINUTE, { expected: 'a time "HH:MM"' }))

export interface Wall {
  readonly date: PlainDate
  readonly time: string
}

const pad2 = (n: number) => String(n).padStart(2, "0")

/** `at`'s wall-clock parts in `zone`, for years 0000-9999 only (zoning near the ends of Date's range throws). */
export const localParts = (at: DateTime.Utc, zone: IanaZone): DateTime.DateTime.PartsWithWeekday | undefined => {
  const year = DateTime.toPartsUtc(at).year
  if (year < 0 || year > 9999) return undefined
  return Option.getOrUndefined(Option.map(DateTime.makeZoned(at, { timeZone: zone }), DateTime.toParts))
}

/** The instant at `date` `time` in `zone`; fails for a wall time skipped by a DST jump, which never happens there. */
export const fromWall = (date: PlainDate, time: string, zone: IanaZone): Result.Result<DateTime.Utc, string> => {
  const [hour = 0, minute = 0] = time.split(":").map(Number)
  const parts = { ...dateParts(date), hour, minute }
  const zoned = DateTime.makeZoned(parts, { timeZone: zone, adjustForTimeZone: true })
  if (Option.isNone(zoned)) return Result.fail(`${date} ${time} cannot be placed in ${zone}`)
  const back = DateTime.toParts(zoned.value)
  return back.day === parts.day && back.hour === hour && back.minute === minute
    ? Result.succeed(DateTime.toUtc(zoned.value))
    : Result.fail(`${date} ${time} does not exist in ${zone} (clocks jump past it for daylight saving)`)
}

/** The local date and "HH:MM" of `at` in `zone`, or the rule that stops a minute-precision wall time holding it. */
export const toWall = (at: DateTime.Utc, zone: IanaZone): Result.Result<Wall, string> => {
  const iso = DateTime.formatIso(at)
  const local = localParts(at, zone)
  if (local === undefined) return Result.fail(`${iso} falls outside the years 0000-9999`)
  // Whole minutes of local time, not of UTC: the two differ in eras when a zone's offset had seconds (LMT).
  if (local.second !== 0 || local.millisecond !== 0) {
    return Result.fail(`a wall time "HH:MM" holds whole minutes only, and ${iso} is not on a whole minute in ${zone}`)
  }
  const date = formatPlainDate(local)
  if (date === undefined) return Result.fail(`${iso} falls outside the years 0000-9999 in ${zone}`)
  const time = `${pad2(local.hour)}:${pad2(local.minute)}`
  // In the repeated hour after clocks go back, one wall time names two instants; Vambe would store the first.
  const back = fromWall(date, time, zone)
  return Result.isSuccess(back) && DateTime.toEpochMillis(back.success) === DateTime.toEpochMillis(at)
    ? Result.succeed({ date, time })
    : Result.fail(
        `${iso} is ${date} ${time} in ${zone}, a wall time that occurs twice (clocks go back), so it is ambiguous`,
      )
}
