// Vendor enums meet values we have never seen (vendors add members without notice): `known` maps a wire value to
// the domain through a table, and an unknown one to an explicit fallback that is flagged on the record (the engine
// logs it), never guessed at and never a crash.
import type { UnknownValue } from "@taskbridge/domain/VendorRecord"

export interface Mapped<A> {
  readonly value: A
  readonly unknown: ReadonlyArray<UnknownValue>
}

/** `table[value]` when the vendor's value is known, else `fallback`, flagged as `field`'s unknown value. */
export const known = <A>(
  field: string,
  value: string,
  table: Readonly<Record<string, A>>,
  fallback: A,
  describeFallback: string = String(fallback),
): Mapped<A> =>
  Object.hasOwn(table, value)
    ? { value: table[value] as A, unknown: [] }
    : { value: fallback, unknown: [{ field, value, fallback: describeFallback }] }

/** A value kept verbatim (an open text enum such as Candid's task types) that we still flag when it is new. */
export const keptVerbatim = (field: string, value: string, isKnown: boolean): ReadonlyArray<UnknownValue> =>
  isKnown ? [] : [{ field, value, fallback: "kept verbatim" }]
