// The domain's Transactor on effect/sql: one `sql.withTransaction` around the caller's effect. Repositories share the
// same client, so their statements inside it run on the transaction's connection; nested calls become savepoints.
import { PgClient } from "@effect/sql-pg"
import { Transactor } from "@taskbridge/domain/ports/Repositories"
import { Effect, Layer } from "effect"
import { transaction } from "./internal/Store.ts"

export const layer = Layer.effect(
  Transactor,
  Effect.gen(function* () {
    const sql = yield* PgClient.PgClient
    return Transactor.of({ atomically: transaction(sql, "Transactor.atomically") })
  }),
)
