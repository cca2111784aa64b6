// Typed array parameters for set-based writes: a page of rows goes to the server as one binary array per column,
// read back with `unnest(…)`, instead of one large JSON document the server must parse and then pick apart row by row
// (`jsonb_to_recordset`), which cost a backfill more database time than the rows' own inserts.
import { PgTypes } from "@effect/sql-pg"
import { Result } from "effect"

// The element type is named, not inferred: the driver cannot infer one for a column whose values are all null.
const typed =
  <A>(oid: number) =>
  (values: ReadonlyArray<A | null>): PgTypes.Parameter =>
    Result.getOrThrow(PgTypes.array(values, oid))

/** `text[]`. */
export const texts = typed<string>(PgTypes.OID.text)

/** `int4[]`. */
export const ints = typed<number>(PgTypes.OID.int4)

/** `timestamptz[]` from epoch milliseconds. */
export const instants = typed<number>(PgTypes.OID.timestamptz)

/**
 * `jsonb[]` from JSON text already written (a merge base, whose text was hashed): the server parses each element,
 * nothing is encoded twice. Bound as `text[]`; the statement casts it (`::jsonb[]`).
 */
export const jsonTexts = texts

/** `jsonb[]` from values the driver encodes to JSON, one element each. */
export const jsons = typed<unknown>(PgTypes.OID.jsonb)
