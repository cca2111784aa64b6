// Shared helpers for the due tests: building branded values, comparing dues, running a codec both ways, and the
// round-trip law every vendor codec must obey.
import { assert } from "@effect/vitest"
import { DateTime, Result, Schema } from "effect"
import { Due, type DueCodec, IanaZone, PlainDate } from "../src/Due.ts"

export const zone = Schema.decodeSync(IanaZone)
export const date = Schema.decodeSync(PlainDate)
export const utc = (iso: string): DateTime.Utc => DateTime.toUtc(DateTime.makeUnsafe(iso))
// DateTime values cache their parts lazily, so structural equality is unreliable; the schema's equivalence is not.
export const same = Schema.toEquivalence(Due)
export const decode = <W>(vendor: DueCodec<W>, wire: unknown) => Schema.decodeUnknownResult(vendor.codec)(wire)
export const encode = <W>(vendor: DueCodec<W>, due: Due) => Schema.encodeResult(vendor.codec)(due)
export const message = <A>(result: Result.Result<A, Schema.SchemaError>): string =>
  Result.isFailure(result) ? result.failure.message : assert.fail("expected a failure")

/**
 * The law for canonical values: the vendor either refuses `due` with an error naming itself and the rule that
 * `limitation` also reports, or it reads back exactly `due`. Returns whether it was written.
 */
export const writesBackOrRefuses = <W>(vendor: DueCodec<W>, due: Due): boolean => {
  const written = encode(vendor, due)
  const rule = vendor.limitation(due)
  if (Result.isFailure(written)) {
    assert.include(written.failure.message, `${vendor.vendor} cannot hold this ${due._tag} due: ${rule}`)
    return false
  }
  assert.isUndefined(rule)
  assert.include(vendor.forms, due._tag)
  assert.isTrue(same(Result.getOrThrow(decode(vendor, written.success)), due))
  return true
}
