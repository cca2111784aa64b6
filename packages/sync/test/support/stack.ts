// How the runtime suites assemble a cluster over a fresh database: the cluster shapes each backend supports, the test
// workflow and periodic job registered on top, and small probes into the cluster's own tables.
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Runtime from "../../src/Runtime.ts"
import type { Backend, FreshDatabase } from "./backends.ts"
import { embeddedFast, fast } from "./fast.ts"
import { setupTicks, Ticks } from "./Ticks.ts"
import { type Gate, openGate, setupLedger, TransferLayer } from "./Transfer.ts"

export interface Shape {
  readonly name: "embedded" | "worker"
  readonly config: Runtime.RuntimeConfig
}

// The worker shape needs PostgreSQL: PGlite is one process's database, so there is nothing to share.
export const shapes = (backend: Backend): ReadonlyArray<Shape> => [
  { name: "embedded", config: { _tag: "embedded", sharding: embeddedFast } },
  ...(backend.name === "postgres" ? [{ name: "worker", config: { _tag: "worker", sharding: fast } } as const] : []),
]

/** The test workflow and periodic job on a cluster of `config` over `db`, as one runner process would have them. */
export const stack = (db: FreshDatabase, config: Runtime.RuntimeConfig, gate: Layer.Layer<Gate> = openGate) =>
  Layer.mergeAll(TransferLayer, Ticks.layer).pipe(
    Layer.provide(gate),
    Layer.provideMerge(Runtime.layerFor(config)),
    Layer.provideMerge(Layer.effectDiscard(Effect.andThen(setupLedger(), setupTicks()))),
    Layer.provideMerge(db.layer),
  )

let ids = 0
export const uid = (prefix: string) => `${prefix}-${Date.now()}-${ids++}`

export const tempDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "taskbridge-sync-gate-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true })),
)

/** The runners registered in `cluster_runners` (SQL runner storage only). */
export const runners = Effect.fn("stack.runners")(
  function* (_db: FreshDatabase) {
    const sql = yield* SqlClient
    const rows = yield* sql<{ address: string }>`SELECT address FROM cluster_runners ORDER BY address`
    return rows.map((row) => row.address)
  },
  (effect, db) => effect.pipe(Effect.provide(db.layer), Effect.orDie),
)
