// The schema: migrations apply from an empty database, a second run is a no-op, and history is append-only in the
// database itself.
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Migrations from "../src/Migrations.ts"
import { backends } from "./backends.ts"

for (const backend of backends) {
  describe(`migrations [${backend.name}]`, () => {
    layer(backend.fresh(), { excludeTestServices: true })((it) => {
      it.effect("apply from an empty database and are idempotent", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient
          const first = yield* Migrations.run
          assert.deepStrictEqual(
            first.map(([id]) => id),
            [1, 2, 3, 4],
          )
          const second = yield* Migrations.run
          assert.deepStrictEqual(second, [])
          const tables = yield* sql<{ name: string }>`
            SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = 'public' ORDER BY table_name`
          assert.includeMembers(
            tables.map((t) => t.name),
            ["api_tokens", "checkpoints", "conflicts", "connections", "escalations", "history", "links"],
          )
        }),
      )
    })
  })
}
