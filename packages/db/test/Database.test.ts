// Choosing and running the backend from configuration: without DATABASE_URL the embedded default keeps its data and
// its generated secret key across a close and reopen of the same data dir; with DATABASE_URL it is PostgreSQL.
import { assert, describe, it } from "@effect/vitest"
import { OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import { TaskRepository } from "@taskbridge/domain/ports/Repositories"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { ConnectionRepository } from "../src/ConnectionRepository.ts"
import { Database, layerClient } from "../src/Database.ts"
import { OrganizationRepository } from "../src/OrganizationRepository.ts"
import * as Persistence from "../src/Persistence.ts"
import { migratedDataDir } from "./backends.ts"
import { connection, task } from "./fixtures.ts"

const withEnv = <A, E, R>(layer: Layer.Layer<A, E, R>, env: Record<string, string>) =>
  layer.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))

describe("the embedded default", () => {
  it.live("is chosen without DATABASE_URL and keeps data and credentials across close and reopen of its data dir", () =>
    Effect.gen(function* () {
      const dir = yield* migratedDataDir
      // A blank DATABASE_URL counts as unset.
      const app = withEnv(Persistence.layer, { DATABASE_URL: " ", TASKBRIDGE_DATA_DIR: dir })
      const org = OrganizationId.make("org-persist")
      const stored = task(org, { id: TaskId.make("task-persist") })
      const connectionId = yield* Effect.gen(function* () {
        const { backend } = yield* Database
        assert.deepStrictEqual(backend, { _tag: "embedded", dataDir: dir })
        yield* (yield* OrganizationRepository).create({ id: org, name: "Persisted" })
        yield* (yield* TaskRepository).insert(stored)
        return yield* connection(org, "spry", "kept-secret")
      }).pipe(Effect.provide(app))
      // The first layer is closed: PGlite shut down and the socket server stopped. Reopen the same folder.
      yield* Effect.gen(function* () {
        assert.strictEqual((yield* (yield* TaskRepository).get(org, stored.id)).title, stored.title)
        const reopened = yield* (yield* ConnectionRepository).get(org, connectionId)
        assert.strictEqual(Redacted.value(reopened.credentials), "kept-secret", "the generated key file was reused")
      }).pipe(Effect.provide(app))
    }).pipe(Effect.scoped),
  )
})

const testUrl = process.env.TEST_DATABASE_URL
// A parameter, not a skip: with no server configured there is nothing to choose.
for (const url of testUrl ? [testUrl] : []) {
  describe("DATABASE_URL", () => {
    it.live("selects PostgreSQL over the embedded default", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const { backend } = yield* Database
        const [row] = yield* sql<{ version: string }>`SELECT version() AS version`
        assert.strictEqual(backend._tag, "postgres")
        assert.notInclude(row?.version ?? "PGlite", "PGlite")
      }).pipe(Effect.provide(withEnv(layerClient, { DATABASE_URL: url, TASKBRIDGE_DATA_DIR: "/nonexistent" }))),
    )
  })
}
