// Vambe task due dates: the write form (local date + optional "HH:MM" + IANA zone) and the read form
// (`due_at` + `due_timezone` + `is_all_day`), each as a DueCodec over the canonical Due.
import { DateTime, Option, Result, Schema } from "effect"
import {
  type Due,
  type DueCodec,
  formatIsoInstant,
  formatPlainDate,
  IanaZone,
  IsoInstantString,
  makeDueCodec,
  none,
  PlainDate,
  parseIsoInstant,
} from "./Due.ts"
import { fromWall, HourMinute, localParts, toWall } from "./DueWall.ts"

/**
 * What PUT/POST /api/public/tasks take (vambe-tasks-update.txt). `dueDate: null` clears; `dueTime` absent or null
 * means all-day; `timezone` is required with a `dueTime`. We write `dueDate` as a plain date only, though Vambe
 * also takes a full datetime there, so the time always travels in `dueTime` with its zone.
 */
export const WriteForm = Schema.Struct({
  dueDate: Schema.NullOr(PlainDate),
  dueTime: Schema.optionalKey(Schema.NullOr(HourMinute)),
  timezone: Schema.optionalKey(Schema.NullOr(IanaZone)),
})
export type WriteForm = typeof WriteForm.Type

/**
 * What GET /api/public/tasks returns. Timed tasks carry an ISO instant. For all-day tasks we accept a bare date, or
 * a datetime at midnight UTC, or at midnight in `due_timezone` (the docs show neither); midnight UTC wins because
 * a zone's midnight only falls on UTC midnight when the zone is at offset zero, where both give the same date.
 */
export const ReadForm = Schema.Struct({
  due_at: Schema.NullOr(Schema.Union([PlainDate, IsoInstantString])),
  due_timezone: Schema.NullOr(IanaZone),
  is_all_day: Schema.Boolean,
})
export type ReadForm = typeof ReadForm.Type

// --- Write form --------------------------------------------------------------------------------------------------

const decodeWrite = (wire: WriteForm): Result.Result<Due, string> => {
  const time = wire.dueTime ?? null
  const zone = wire.timezone ?? null
  if (wire.dueDate === null) {
    return time === null ? Result.succeed(none) : Result.fail("dueTime is set but dueDate is null")
  }
  const date = wire.dueDate
  if (time === null) return Result.succeed(zone === null ? { _tag: "AllDay", date } : { _tag: "AllDay", date, zone })
  if (zone === null) return Result.fail("timezone is required when dueTime is given")
  return Result.map(fromWall(date, time, zone), (at): Due => ({ _tag: "Instant", at, zone }))
}

// Always sends all three keys: the update is a partial PUT, so an omitted dueTime could leave an old time in place.
const encodeWrite = (due: Due): Result.Result<WriteForm, string> => {
  switch (due._tag) {
    case "None":
      return Result.succeed({ dueDate: null, dueTime: null, timezone: null })
    case "AllDay":
      return Result.succeed({ dueDate: due.date, dueTime: null, timezone: due.zone ?? null })
    case "Instant": {
      const zone = due.zone
      if (zone === undefined) {
        return Result.fail("a timed due is written as local date + time + IANA zone, and this instant has no zone")
      }
      return Result.map(toWall(due.at, zone), (wall) => ({ dueDate: wall.date, dueTime: wall.time, timezone: zone }))
    }
    case "Window":
      return Result.fail("Vambe has a single due date, not a date window")
  }
}

/** Due ⇄ Vambe's write form. Instants need a zone and whole minutes, and must not sit in a DST fold. */
export const write: DueCodec<typeof WriteForm.Encoded> = makeDueCodec({
  vendor: "Vambe",
  forms: ["None", "Instant", "AllDay"],
  wire: WriteForm,
  decode: decodeWrite,
  encode: encodeWrite,
})

// --- Read form ---------------------------------------------------------------------------------------------------

const isPlainDate = Schema.is(PlainDate)

const allDayDate = (dueAt: string, zone: IanaZone | null): Result.Result<PlainDate, string> => {
  if (isPlainDate(dueAt)) return Result.succeed(dueAt)
  const at = parseIsoInstant(dueAt)
  if (Option.isNone(at)) return Result.fail(`due_at ${dueAt} is not a valid instant`)
  const utc = DateTime.toPartsUtc(at.value)
  const local = zone === null ? undefined : localParts(at.value, zone)
  const midnight = [utc, local].find((p) => p !== undefined && p.hour + p.minute + p.second + p.millisecond === 0)
  const date = midnight === undefined ? undefined : formatPlainDate(midnight)
  return date === undefined
    ? Result.fail(`an all-day due_at must be a date or midnight in UTC or in due_timezone, not ${dueAt}`)
    : Result.succeed(date)
}

const decodeRead = (wire: ReadForm): Result.Result<Due, string> => {
  const zone = wire.due_timezone
  if (wire.due_at === null) return Result.succeed(none)
  if (wire.is_all_day) {
    return Result.map(
      allDayDate(wire.due_at, zone),
      (date): Due => (zone === null ? { _tag: "AllDay", date } : { _tag: "AllDay", date, zone }),
    )
  }
  if (isPlainDate(wire.due_at)) return Result.fail(`due_at ${wire.due_at} has no time but is_all_day is false`)
  const at = parseIsoInstant(wire.due_at)
  if (Option.isNone(at)) return Result.fail(`due_at ${wire.due_at} is not a valid instant`)
  return Result.succeed(zone === null ? { _tag: "Instant", at: at.value } : { _tag: "Instant", at: at.value, zone })
}

// The normalised read form: all-day as a bare date, instants as UTC ISO with milliseconds.
const encodeRead = (due: Due): Result.Result<ReadForm, string> => {
  switch (due._tag) {
    case "None":
      return Result.succeed({ due_at: null, due_timezone: null, is_all_day: false })
    case "AllDay":
      return Result.succeed({ due_at: due.date, due_timezone: due.zone ?? null, is_all_day: true })
    case "Instant":
      return Result.map(formatIsoInstant(due.at), (iso) => ({
        due_at: iso,
        due_timezone: due.zone ?? null,
        is_all_day: false,
      }))
    case "Window":
      return Result.fail("Vambe has a single due date, not a date window")
  }
}

/** Due ⇄ Vambe's task read form, the form fakes and fixtures also produce. */
export const read: DueCodec<typeof ReadForm.Encoded> = makeDueCodec({
  vendor: "Vambe",
  forms: ["None", "Instant", "AllDay"],
  wire: ReadForm,
  decode: decodeRead,
  encode: encodeRead,
})

/** Reads the due from a Vambe task. */
export const toDue = Schema.decodeUnknownEffect(read.codec)

/** The fields to send to Vambe for a due. */
export const fromDue = Schema.encodeEffect(write.codec)
