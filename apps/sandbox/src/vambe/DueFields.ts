// Vambe's due fields (vambe-tasks-update.txt: `dueDate` date or datetime, `dueTime` HH:MM, `timezone` IANA, `null`
// removes) read from a body and applied to a task's stored due with the partial-PUT semantics the emulator chose.
import { VambeInputError } from "./Errors.ts"
import type { Due } from "./Store.ts"
import { isZone, localDate, localTime, wallToUtc } from "./Zone.ts"

type Body = Record<string, unknown>

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/

export type DueDate = { readonly date: string } | { readonly instant: number }

/** The due keys a body carries; a missing key is absent, not null (partial PUT). */
export interface DueInput {
  readonly dueDate?: DueDate | null
  readonly dueTime?: string | null
  readonly timezone?: string | null
}

export const dueInput = (body: Body): DueInput => {
  const out: { dueDate?: DueDate | null; dueTime?: string | null; timezone?: string | null } = {}
  if ("dueDate" in body) {
    const v = body.dueDate
    if (v === null) out.dueDate = null
    else if (typeof v === "string" && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
      out.dueDate = { date: v }
    } else if (typeof v === "string" && DATETIME.test(v) && !Number.isNaN(Date.parse(v))) {
      out.dueDate = { instant: Date.parse(v) }
    } else throw new VambeInputError("dueDate must be an ISO 8601 date (YYYY-MM-DD) or datetime, or null")
  }
  if ("dueTime" in body) {
    const v = body.dueTime
    if (v !== null && (typeof v !== "string" || !TIME.test(v))) {
      throw new VambeInputError('dueTime must be in HH:MM format, e.g. "14:30"')
    }
    out.dueTime = v
  }
  if ("timezone" in body) {
    const v = body.timezone
    if (v !== null && (typeof v !== "string" || !isZone(v))) {
      throw new VambeInputError('timezone must be an IANA time zone, e.g. "America/Santiago"')
    }
    out.timezone = v
  }
  return out
}

export const noDue: Due = { dueAt: null, dueTimezone: null, isAllDay: false }

/**
 * The stored due after applying `input` to `current` (partial semantics [I]): `dueDate: null` removes it; a
 * datetime is that instant; a plain date without `dueTime` is all-day (as on create); `dueTime` alone moves the
 * time on the current date; `timezone` alone re-reads the current wall time in the new zone. A time needs a zone.
 */
export const resolveDue = (current: Due, input: DueInput): Due | undefined => {
  if (!("dueDate" in input) && !("dueTime" in input) && !("timezone" in input)) return undefined
  const zone = "timezone" in input ? (input.timezone ?? null) : current.dueTimezone
  const time = input.dueTime
  if (input.dueDate === null) {
    if (time !== undefined && time !== null) throw new VambeInputError("dueTime requires a dueDate")
    return noDue
  }
  if (input.dueDate !== undefined && "instant" in input.dueDate) {
    if (time !== undefined && time !== null) {
      throw new VambeInputError("dueTime cannot be combined with a full datetime dueDate")
    }
    return { dueAt: input.dueDate.instant, dueTimezone: zone, isAllDay: false }
  }
  let date: string
  let wall: string | null
  if (input.dueDate !== undefined) {
    date = input.dueDate.date
    wall = time ?? null
  } else {
    if (current.dueAt === null) {
      if (time !== undefined && time !== null) throw new VambeInputError("dueTime requires a dueDate")
      return undefined
    }
    const from = current.isAllDay ? "UTC" : (current.dueTimezone ?? "UTC")
    date = localDate(current.dueAt, from)
    wall = time !== undefined ? time : current.isAllDay ? null : localTime(current.dueAt, from)
  }
  if (wall === null) return { dueAt: Date.parse(`${date}T00:00:00Z`), dueTimezone: zone, isAllDay: true }
  if (zone === null) throw new VambeInputError("timezone is required when dueTime is specified")
  return { dueAt: wallToUtc(date, wall, zone), dueTimezone: zone, isAllDay: false }
}
