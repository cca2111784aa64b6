// Text formats vendors put on the wire, checked once and shared by every adapter's wire schemas and the domain's
// codecs: ISO 8601 date-times with an offset, UUID-shaped ids, e-mail addresses.
import { Schema } from "effect"

// Offset required: "2025-06-15T09:00" alone would be read as local or UTC depending on the parser and shift the task.
// Up to 9 fractional digits and "+hhmm" as well as "+hh:mm", because vendors' backends differ in both.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/

// A pattern alone accepts "2024-02-31"; building the date rejects days the calendar does not have. setUTCFullYear,
// not Date.UTC, because Date.UTC reads years 0–99 as 1900–1999.
const isCalendarDay = (match: RegExpExecArray | null): boolean => {
  if (match === null) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** An ISO 8601 date-time with a `Z` or numeric offset, e.g. `2024-01-15T09:30:00Z`; kept as text on the wire. */
export const IsoDateTime = Schema.String.check(
  Schema.makeFilter((s: string) => isCalendarDay(DATE_TIME.exec(s)), {
    expected: "an ISO 8601 date-time with an offset, e.g. 2025-06-15T09:00:00.000Z",
  }),
)

/** A UUID-shaped id we send; checking the shape catches a mapping bug before the vendor rejects the request. */
export const Guid = Schema.String.check(Schema.isGUID())

/** An e-mail address, checked for shape only: whether a person owns it is the vendor's call. */
export const EmailAddress = Schema.String.check(
  Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { expected: "an email address" }),
)
