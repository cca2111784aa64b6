// The schema: migrations apply from an empty database, a second run is a no-op, and history is append-only in the
// database itself (not just in the repository).
import { assert, describe, layer } from "@effect/vitest"
import { OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as HistoryRepository from "../src/HistoryRepository.ts"
import * as Migrations from "../src/Migrations.ts"
import { backends } from "./backends.ts"
import { moveFromSchema6 } from "./MigrationData.ts"

for (const backend of backends) {
  describe(`migrations [${backend.name}]`, () => {
    layer(backend.fresh(), { excludeTestServices: true })((it) => {
      it.effect("apply from an empty database and are idempotent", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient
          const first = yield* Migrations.run
          assert.deepStrictEqual(
            first.map(([id]) => id),
            Object.keys(Migrations.migrations).map((name) => Number(name.slice(0, 4))),
          )
          assert.deepStrictEqual(yield* Migrations.run, [])
          const tables = yield* sql<{ name: string }>`
            SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = 'public' ORDER BY table_name`
          assert.includeMembers(
            tables.map((t) => t.name),
            [
              "api_tokens",
              "checkpoints",
              "conflicts",
              "connections",
              "held_deletions",
              "history",
              "links",
              "outbox",
              "quarantined_records",
              "rate_budget_slots",
            ],
          )
          // Links keep room on each page for a pull's heap-only update of the merge base (migration 12).
          const [links] = yield* sql<{ options: ReadonlyArray<string> | null }>`
            SELECT reloptions AS options FROM pg_class WHERE relname = 'links' AND relkind = 'r'`
          assert.include(links?.options ?? [], "fillfactor=80")
        }),
      )

      it.effect("keep history append-only and in order: the database refuses UPDATE, DELETE and TRUNCATE", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient
          yield* Migrations.run
          const history = yield* HistoryRepository.make
          const org = OrganizationId.make("org-history")
          const taskId = TaskId.make("task-history")
          yield* sql`INSERT INTO organizations (id, name) VALUES (${org}, 'History')`
          const change = { field: "status", before: "open", after: "done" }
          const entry = { organizationId: org, taskId, connectionId: null, changes: [change] }
          yield* history.append({ ...entry, origin: "api", actor: "token-1" })
          yield* history.append({ ...entry, origin: "conflict-resolution", actor: "ana" })
          // Several at once keep the order they were given in.
          yield* history.appendMany([
            { ...entry, origin: "pull", actor: null },
            { ...entry, origin: "push", actor: null },
            { ...entry, origin: "webhook", actor: null },
          ])
          const listed = yield* history.list(org, taskId)
          assert.deepStrictEqual(
            listed.map((h) => [h.origin, h.actor, h.changes]),
            [
              ["api", "token-1", [change]],
              ["conflict-resolution", "ana", [change]],
              ["pull", null, [change]],
              ["push", null, [change]],
              ["webhook", null, [change]],
            ],
          )
          for (const statement of [
            sql`UPDATE history SET actor = 'someone else' WHERE task_id = ${taskId}`,
            sql`DELETE FROM history WHERE task_id = ${taskId}`,
            sql`TRUNCATE history`,
          ]) {
            const refused = yield* Effect.flip(statement)
            assert.include(String(refused.reason.cause), "history is append-only")
          }
          assert.strictEqual((yield* history.list(org, taskId)).length, 5)
        }),
      )
    })
    // Its own database: the move starts from schema 6, before any test above migrated past it.
    layer(backend.fresh(), { excludeTestServices: true })((it) => {
      it.effect(
        "move escalations, their links, unsent changes and open conflicts into the one work-item model",
        () => moveFromSchema6,
      )
    })
  })
}
