// Canonical due: nothing, an instant (with the zone it was set in, if known), an all-day date, or a date window in a
// zone. Also the vocabulary the vendor codecs (Due*.ts) share: IANA zones, plain dates, ISO instants, and the
// `DueCodec` shape whose `limitation` says, before any push, why a vendor cannot hold a due.
import { DateTime, Effect, Option, Result, Schema, type SchemaAST, SchemaIssue, SchemaTransformation } from "effect"
import { isWithinYears, maxYear, minYear } from "./Text.ts"
import { IsoDateTime } from "./Wire.ts"

// Names only: Node 24's Intl also accepts offsets such as "+03:00", which are not IANA zones and lose DST rules.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/
// What schema-derived arbitraries draw from: DST and fixed zones, both hemispheres, a half-hour offset.
const SAMPLE_ZONES = [
  "UTC",
  "America/New_York",
  "America/Santiago",
  "Europe/Berlin",
  "Asia/Tokyo",
  "Asia/Kolkata",
  "Australia/Sydney",
]

// Whether the runtime knows a zone, remembered per name: asking builds an `Intl.DateTimeFormat` (tens of
// microseconds), and a pull asks it for every record, of the same handful of zones. Bounded: names are caller input.
const knownZones = new Map<string, boolean>()
const isKnownZone = (zone: string): boolean => {
  const known = knownZones.get(zone)
  if (known !== undefined) return known
  const answer = ZONE_NAME.test(zone) && Option.isSome(DateTime.zoneMakeNamed(zone))
  if (knownZones.size >= 1_000) knownZones.clear()
  knownZones.set(zone, answer)
  return answer
}

/** An IANA time-zone name that the runtime's zone database knows, kept exactly as given (no alias folding). */
export const IanaZone = Schema.String.pipe(
  Schema.check(
    Schema.makeFilter(isKnownZone, {
      expected: 'an IANA time zone name such as "America/Santiago"',
      arbitraryConstraint: { patterns: [{ source: `^(?:${SAMPLE_ZONES.join("|")})$`, flags: "" }] },
    }),
  ),
  Schema.brand("IanaZone"),
)
export type IanaZone = typeof IanaZone.Type

const PLAIN_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
const daysInMonth = (year: number, month: number): number =>
  month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 31)

/** Splits a plain date into numbers; callers only pass strings that already matched PLAIN_DATE. */
export const dateParts = (date: string): { readonly year: number; readonly month: number; readonly day: number } => {
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number)
  return { year, month, day }
}

/** A calendar date "YYYY-MM-DD" with no time and no zone (years 0000-9999, the width every vendor form uses). */
export const PlainDate = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(PLAIN_DATE, { expected: "a date YYYY-MM-DD" }),
    Schema.makeFilter(
      (date: string) => {
        const { year, month, day } = dateParts(date)
        return day <= daysInMonth(year, month)
      },
      { expected: "a date that exists in the calendar" },
    ),
  ),
  Schema.brand("PlainDate"),
)
export type PlainDate = typeof PlainDate.Type

/** Formats a year/month/day as a plain date; `undefined` outside the four-digit years a PlainDate holds. */
export const formatPlainDate = (parts: {
  readonly year: number
  readonly month: number
  readonly day: number
}): PlainDate | undefined =>
  parts.year < 0 || parts.year > 9999
    ? undefined
    : PlainDate.make(
        `${String(parts.year).padStart(4, "0")}-${String(parts.month).padStart(2, "0")}-${String(parts.day).padStart(2, "0")}`,
      )

export const None = Schema.TaggedStruct("None", {})
/** A moment; `zone` records where it was set, so vendors that store local time can be written without guessing. */
export const Instant = Schema.TaggedStruct("Instant", { at: Schema.DateTimeUtc, zone: Schema.optionalKey(IanaZone) })
/** A whole day; `zone` says whose day it is when the vendor knows. */
export const AllDay = Schema.TaggedStruct("AllDay", { date: PlainDate, zone: Schema.optionalKey(IanaZone) })
/** Any day from `start` to `end` inclusive, in `zone` (Spry's waitlist range in the clinic's zone). */
export const Window = Schema.TaggedStruct("Window", { start: PlainDate, end: PlainDate, zone: IanaZone }).check(
  Schema.makeFilter((w) => w.start <= w.end || { path: ["end"], issue: "a window cannot end before it starts" }),
)

// Built as a union of tagged structs (not `Schema.TaggedUnion({...})`) so the Window member can carry its own check;
// `toTaggedUnion` adds the same `cases`, `guards` and `match` helpers.
export const Due = Schema.Union([None, Instant, AllDay, Window]).pipe(Schema.toTaggedUnion("_tag"))
export type Due = typeof Due.Type
export type DueForm = Due["_tag"]

export const none: Due = Due.cases.None.make({})

/**
 * A due a caller may set: an instant must fall in years 0000–9999 (dates already do). Stored and vendor dues are not
 * bounded — a vendor's odd value is kept and flagged by its codec, never made unreadable.
 */
export const InputDue = Due.pipe(
  Schema.check(
    Schema.makeFilter(
      (due: Due) =>
        due._tag !== "Instant" ||
        isWithinYears(due.at) || { path: ["at"], issue: `must be in the years ${minYear}–${maxYear}` },
    ),
  ),
)

/** Drops the zone from an instant or all-day due: the explicit, visible step before writing to a zone-less vendor. */
export const withoutZone = (due: Due): Due => {
  switch (due._tag) {
    case "Instant":
      return { _tag: "Instant", at: due.at }
    case "AllDay":
      return { _tag: "AllDay", date: due.date }
    default:
      return due
  }
}

// --- ISO 8601 instants on the wire ---------------------------------------------------------------------------------

/** An ISO 8601 date-time string with an explicit offset, as vendors send instants (see Wire.ts). */
export const IsoInstantString = IsoDateTime

/** Parses an ISO instant string (already pattern-checked) into UTC. */
export const parseIsoInstant = (text: string): Option.Option<DateTime.Utc> =>
  Option.map(DateTime.make(text), DateTime.toUtc)

/** Formats as `2025-06-15T09:00:00.000Z`; fails outside years 0000-9999, which ISO's basic form cannot write. */
export const formatIsoInstant = (at: DateTime.Utc): Result.Result<string, string> => {
  const year = DateTime.toPartsUtc(at).year
  return year < 0 || year > 9999
    ? Result.fail(`an ISO 8601 instant needs a four-digit year, and ${String(year)} is not one`)
    : Result.succeed(DateTime.formatIso(at))
}

// --- The codec shape ---------------------------------------------------------------------------------------------

/**
 * One vendor's due form. `forms` are the due kinds it can hold at all; `limitation(due)` is the vendor rule `due`
 * breaks, or `undefined` when it can be written (run it during patch validation); `codec` decodes the wire value and
 * encodes a canonical due, failing with an issue that names the vendor and that rule.
 */
export interface DueCodec<W> {
  readonly vendor: string
  readonly forms: ReadonlyArray<DueForm>
  readonly limitation: (due: Due) => string | undefined
  readonly codec: Schema.Codec<Due, W>
}

const issue = (message: string, input: unknown, options: SchemaAST.ParseOptions) =>
  new SchemaIssue.InvalidValue({ message }, input, options)

/** Builds a codec from a decode and an encode that each return either a value or the vendor rule that was broken. */
export const makeDueCodec = <W, E>(options: {
  readonly vendor: string
  readonly forms: ReadonlyArray<DueForm>
  readonly wire: Schema.Codec<W, E>
  readonly decode: (wire: W) => Result.Result<Due, string>
  readonly encode: (due: Due) => Result.Result<W, string>
}): DueCodec<E> => ({
  vendor: options.vendor,
  forms: options.forms,
  // The encoder is the single source of truth for what is representable: validation asks it, not a copy of its rules.
  limitation: (due) => Result.match(options.encode(due), { onFailure: (rule) => rule, onSuccess: () => undefined }),
  codec: options.wire.pipe(
    // `toType`: the transformation works on decoded (branded) values and Due's own checks still run on decode.
    Schema.decodeTo(
      Schema.toType(Due),
      SchemaTransformation.transformEffect({
        decode: (wire: W, parseOptions) =>
          Result.match(options.decode(wire), {
            onFailure: (rule) =>
              Effect.fail(issue(`${options.vendor} due not understood: ${rule}`, wire, parseOptions)),
            onSuccess: (due) => Effect.succeed(due),
          }),
        encode: (due: Due, parseOptions) =>
          Result.match(options.encode(due), {
            onFailure: (rule) =>
              Effect.fail(issue(`${options.vendor} cannot hold this ${due._tag} due: ${rule}`, due, parseOptions)),
            onSuccess: (wire) => Effect.succeed(wire),
          }),
      }),
    ),
  ),
})

/** Decodes a vendor wire value into a canonical due. */
export const toDue = <W>(vendor: DueCodec<W>) => Schema.decodeUnknownEffect(vendor.codec)

/** Encodes a canonical due into the vendor's wire form. */
export const fromDue = <W>(vendor: DueCodec<W>) => Schema.encodeEffect(vendor.codec)

/**
 * A vendor field that holds one instant or null (Kore.ai `dueDate`, CareValidate `followUpDueAt`): only no due or a
 * zone-less instant can travel. A zoned instant is refused rather than silently stripped: a caller who accepts losing
 * the zone says so with `withoutZone`, and a round trip through the vendor then gives back exactly what was written.
 */
export const makeInstantOrNullCodec = <W, E>(options: {
  readonly vendor: string
  /** The vendor's field name, as refusals name it. */
  readonly field: string
  /** What the field holds, as the refusal of a zoned instant says it ("epoch milliseconds", "a UTC instant"). */
  readonly holds: string
  readonly wire: Schema.Codec<W, E>
  readonly read: (wire: W) => Result.Result<DateTime.Utc, string>
  readonly write: (at: DateTime.Utc) => Result.Result<W, string>
}): DueCodec<E | null> =>
  makeDueCodec({
    vendor: options.vendor,
    forms: ["None", "Instant"],
    wire: Schema.NullOr(options.wire),
    decode: (wire: W | null): Result.Result<Due, string> =>
      wire === null ? Result.succeed(none) : Result.map(options.read(wire), (at) => ({ _tag: "Instant", at })),
    encode: (due: Due): Result.Result<W | null, string> => {
      switch (due._tag) {
        case "None":
          return Result.succeed(null)
        case "Instant":
          return due.zone === undefined
            ? options.write(due.at)
            : Result.fail(`${options.field} is ${options.holds} and cannot carry the zone "${due.zone}"`)
        case "AllDay":
          return Result.fail(`${options.field} is an instant, and a whole day has no single instant`)
        case "Window":
          return Result.fail(`${options.field} is a single instant, not a date window`)
      }
    },
  })
