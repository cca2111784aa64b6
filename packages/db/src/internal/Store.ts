// Where SQL meets the domain: runs statements, turns store failures into PersistenceError, and decodes rows once
// with a Schema so repositories only ever handle domain values.
import { describeIssue } from "@taskbridge/domain/Issues"
import { PersistenceError } from "@taskbridge/domain/ports/Repositories"
import { Effect, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { isSqlError, type SqlError } from "effect/sql/SqlError"

type Statement = Effect.Effect<ReadonlyArray<unknown>, SqlError>

// Quoted parts of a server message are kept only when they look like our own identifiers (a constraint, a column, a
// type); anything else — a value PostgreSQL quotes back, such as `invalid input syntax for type uuid: "…"` — is cut.
const IDENTIFIER = /^[a-z_][a-z0-9_.]*$/
const maskQuoted = (text: string) =>
  text.replace(/"([^"]*)"|'([^']*)'/g, (whole, double?: string, single?: string) =>
    IDENTIFIER.test(double ?? single ?? "") ? whole : '"…"',
  )

/**
 * PostgreSQL's own message ("duplicate key value violates unique constraint …") and its SQLSTATE, rather than the
 * driver's summary, with quoted values masked. Its `detail` line ("Key (email)=(…)") is never read: it quotes rows.
 */
const sqlDetail = (error: SqlError): string => {
  const cause = error.reason.cause
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : ""
  const state = /^[0-9A-Z]{5}$/.test(code) ? ` [SQLSTATE ${code}]` : ""
  const server =
    cause instanceof Error && cause.message.length > 0 ? `: ${maskQuoted(cause.message).slice(0, 300)}` : ""
  return `${error.reason._tag}${state}${server}`
}

/**
 * Failure details carry the database's (masked) message or where a row failed to decode, never a value: they are
 * logged and shown to operators. The one secret this package handles (connection credentials) is only ever bound
 * already encrypted.
 */
const toPersistence =
  (operation: string) =>
  (error: SqlError | Schema.SchemaError): PersistenceError =>
    new PersistenceError({ operation, detail: isSqlError(error) ? sqlDetail(error) : describeIssue(error) })

/** Runs `statement` and decodes every row with `row`. */
export const rows = <A>(operation: string, row: Schema.Decoder<A>) => {
  const decode = Schema.decodeUnknownEffect(Schema.Array(row))
  return (statement: Statement): Effect.Effect<ReadonlyArray<A>, PersistenceError> =>
    Effect.flatMap(statement, decode).pipe(Effect.mapError(toPersistence(operation)))
}

/** Runs `statement` and decodes its first row, or null when there is none. */
export const firstRow = <A>(operation: string, row: Schema.Decoder<A>) => {
  const all = rows(operation, row)
  return (statement: Statement): Effect.Effect<A | null, PersistenceError> =>
    Effect.map(all(statement), (found) => found[0] ?? null)
}

/** Runs a statement whose rows nobody reads. */
export const exec =
  (operation: string) =>
  (statement: Effect.Effect<unknown, SqlError>): Effect.Effect<void, PersistenceError> =>
    statement.pipe(Effect.asVoid, Effect.mapError(toPersistence(operation)))

/** Encodes a domain value with its codec before it is bound as a parameter. */
export const encode = <A, I>(operation: string, codec: Schema.Codec<A, I>) => {
  const run = Schema.encodeEffect(codec)
  return (value: A): Effect.Effect<I, PersistenceError> => run(value).pipe(Effect.mapError(toPersistence(operation)))
}

/**
 * Encodes with `codec` synchronously inside `build` (a page's rows at once: no effect per row); a failure fails the
 * lot as PersistenceError.
 */
export const encodeRows = <A, I>(operation: string, codec: Schema.Codec<A, I>) => {
  const run = Schema.encodeSync(codec)
  return <R>(build: (encode: (value: A) => I) => R): Effect.Effect<R, PersistenceError> =>
    Effect.try({
      try: () => build(run),
      catch: (error) =>
        Schema.isSchemaError(error)
          ? toPersistence(operation)(error)
          : new PersistenceError({ operation, detail: "a row could not be encoded" }),
    })
}

/** Runs `effect` in a transaction (a savepoint when one is already open); BEGIN/COMMIT failures become PersistenceError. */
export const transaction =
  (sql: SqlClient, operation: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | PersistenceError, R> =>
    sql
      .withTransaction(effect)
      .pipe(Effect.mapError((error) => (isSqlError(error) ? toPersistence(operation)(error) : error)))
