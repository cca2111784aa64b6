// Reading a vendor page record by record: the records that decode go on to the engine, the ones that do not are
// quarantined with the rule they broke (path and rule, never a value) and the record as sent, so one broken record
// never stops a page, and the page's count stays the vendor's (paging decides "last page" by how many came back).

import { VendorRecordId } from "@taskbridge/domain/Ids"
import { describeIssue } from "@taskbridge/domain/Issues"
import type { QuarantinedRecord } from "@taskbridge/domain/ports/VendorAdapter"
import { Result, Schema, SchemaParser } from "effect"

/** A page's items read one by one. `count` is how many the vendor sent, readable or not. */
export interface Salvaged<T> {
  readonly items: ReadonlyArray<T>
  readonly quarantined: ReadonlyArray<QuarantinedRecord>
  readonly count: number
}

/** Largest record kept as sent in the quarantine (its JSON); a larger one keeps only its id and reason. */
export const maxQuarantinedPayloadBytes = 64 * 1024

const isJson = Schema.is(Schema.Json)
const readableId = Schema.decodeUnknownOption(VendorRecordId)

/** The payload as kept: JSON of at most `maxQuarantinedPayloadBytes`, otherwise nothing. */
const keepable = (raw: unknown): Schema.Json | null => {
  if (!isJson(raw)) return null
  const text = JSON.stringify(raw)
  return text.length <= maxQuarantinedPayloadBytes ? raw : null
}

/** The id at `field` of a raw record, when it is there and reads as an id. */
export const idAt =
  (field: string) =>
  (raw: unknown): string | null => {
    if (typeof raw !== "object" || raw === null) return null
    const value = (raw as Record<string, unknown>)[field]
    const id = typeof value === "number" ? String(value) : value
    return readableId(id).pipe((o) => (o._tag === "Some" ? o.value : null))
  }

/**
 * `items` decoded one at a time with `schema`; `recordId` reads the vendor's id from a raw record that failed, so the
 * quarantine entry can be matched (and released) when the record is next read fine. `positions` are the items'
 * places on the vendor's page (0-based) when they are only some of it, so a quarantine reason names the right one.
 */
export const salvage = <A, I>(
  schema: Schema.Codec<A, I>,
  recordId: (raw: unknown) => string | null,
  items: ReadonlyArray<unknown>,
  positions?: ReadonlyArray<number>,
): Salvaged<A> => {
  const decode = SchemaParser.decodeUnknownResult(schema)
  const read: Array<A> = []
  const quarantined: Array<QuarantinedRecord> = []
  for (const [index, raw] of items.entries()) {
    const result = decode(raw)
    if (Result.isSuccess(result)) {
      read.push(result.success)
      continue
    }
    const id = recordId(raw)
    quarantined.push({
      recordId: id === null ? null : VendorRecordId.make(id),
      reason: `record ${(positions?.[index] ?? index) + 1} of the page: ${describeIssue(new Schema.SchemaError(result.failure))}`,
      payload: keepable(raw),
    })
  }
  return { items: read, quarantined, count: items.length }
}
