// Spry waitlist-request due: `date_range_start`..`date_range_end`, dates "interpreted in clinic timezone"
// (spry-waitlist-request-update.txt). The zone is not on the wire, so the caller passes the clinic's zone.
import { Result, Schema } from "effect"
import { type Due, type DueCodec, type IanaZone, makeDueCodec, PlainDate } from "./Due.ts"

/** The two date fields of a waitlist request; both are required on create, so a request always has a window. */
export const Wire = Schema.Struct({ date_range_start: PlainDate, date_range_end: PlainDate })
export type Wire = typeof Wire.Type

const encode =
  (clinicZone: IanaZone) =>
  (due: Due): Result.Result<Wire, string> => {
    switch (due._tag) {
      case "Window":
        return due.zone === clinicZone
          ? Result.succeed({ date_range_start: due.start, date_range_end: due.end })
          : Result.fail(`its dates are in the clinic's zone ${clinicZone}, and this window is in ${due.zone}`)
      case "None":
        return Result.fail("a waitlist request always has a date range and cannot clear it")
      // A single day could be sent as start = end, but it would read back as a Window, not what was written.
      case "AllDay":
      case "Instant":
        return Result.fail("it holds only a date window (date_range_start..date_range_end)")
    }
  }

/** Due ⇄ Spry's date range for a clinic whose zone comes from the connection config. A start after the end fails. */
export const codec = (clinicZone: IanaZone): DueCodec<typeof Wire.Encoded> =>
  makeDueCodec({
    vendor: "Spry",
    forms: ["Window"],
    wire: Wire,
    decode: (wire) =>
      Result.succeed({ _tag: "Window", start: wire.date_range_start, end: wire.date_range_end, zone: clinicZone }),
    encode: encode(clinicZone),
  })

/** Reads a waitlist request's date range as a window in the clinic's zone. */
export const toDue = (clinicZone: IanaZone) => Schema.decodeUnknownEffect(codec(clinicZone).codec)

/** The date-range fields to send for a due. */
export const fromDue = (clinicZone: IanaZone) => Schema.encodeEffect(codec(clinicZone).codec)
