// Where SQL meets the domain: runs statements, turns store failures into PersistenceError, and decodes rows once
// with a Schema so repositories only ever handle domain values.
import { PersistenceError } from "@taskbridge/domain/ports/Repositories"
import { Effect, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { isSqlError, type SqlError } from "effect/sql/SqlError"

type Statement = Effect.Effect<ReadonlyArray<unknown>, SqlError>

/** PostgreSQL's own message ("duplicate key value violates unique constraint …") rather than the driver's summary. */
const sqlDetail = (error: SqlError): string => {
  const cause = error.reason.cause
  const server = cause instanceof Error && cause.message.length > 0 ? `: ${cause.message}` : ""
  return `${error.reason._tag}${server}`
}

/**
 * Failure details carry the database's message or the decoding issue. Neither quotes bound parameters, and the one
 * secret this package handles (connection credentials) is only ever bound already encrypted.
 */
const toPersistence =
  (operation: string) =>
  (error: SqlError | Schema.SchemaError): PersistenceError =>
    new PersistenceError({ operation, detail: isSqlError(error) ? sqlDetail(error) : error.message })

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

/** Runs `effect` in a transaction (a savepoint when one is already open); BEGIN/COMMIT failures become PersistenceError. */
export const transaction =
  (sql: SqlClient, operation: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | PersistenceError, R> =>
    sql
      .withTransaction(effect)
      .pipe(Effect.mapError((error) => (isSqlError(error) ? toPersistence(operation)(error) : error)))
