// CheckpointRepository on PostgreSQL/PGlite: one opaque checkpoint per connection, written in the same transaction
// as the page it follows, so a replayed page starts from the same place and changes nothing.
import { PgClient } from "@effect/sql-pg"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import { CheckpointRepository } from "@taskbridge/domain/ports/Repositories"
import { Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import { Effect, Layer, Schema } from "effect"
import { exec, firstRow } from "./internal/Store.ts"

const CheckpointRow = Schema.Struct({ checkpoint: Checkpoint })

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  const get = Effect.fn("CheckpointRepository.get")(function* (connection: ConnectionId) {
    const row = yield* firstRow(
      "CheckpointRepository.get",
      CheckpointRow,
    )(sql`SELECT checkpoint FROM checkpoints WHERE connection_id = ${connection}`)
    return row?.checkpoint ?? null
  })

  const put = Effect.fn("CheckpointRepository.put")(function* (connection: ConnectionId, checkpoint: Checkpoint) {
    yield* exec("CheckpointRepository.put")(sql`
      INSERT INTO checkpoints (connection_id, checkpoint) VALUES (${connection}, ${checkpoint})
      ON CONFLICT (connection_id) DO UPDATE SET checkpoint = excluded.checkpoint, updated_at = now()`)
  })

  return CheckpointRepository.of({ get, put })
})

export const layer = Layer.effect(CheckpointRepository, make)
