// What an app process runs the engine with: persistence, every vendor adapter, the engine and, on a runner (embedded
// or worker), the push lanes, the pull workflows and per-connection schedules, and the outbox sweep; a client-only member
// (an API beside workers) gets just the Dispatcher that hands work to the runners. apps/api and apps/worker use it.

import type { VendorDefinition } from "@taskbridge/adapter-kit/Definition"
import { Egress, type EgressRules, strict } from "@taskbridge/adapter-kit/Egress"
import type { Database } from "@taskbridge/db/Database"
import * as Persistence from "@taskbridge/db/Persistence"
import type { Duration } from "effect"
import { Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import type { SqlClient } from "effect/sql/SqlClient"
import { Dispatcher, outboxSweep, type SweepOptions } from "./Dispatch.ts"
import { SyncEngine } from "./Engine.ts"
import { PushLaneLayer } from "./PushLanes.ts"
import * as Registry from "./Registry.ts"
import * as Runtime from "./Runtime.ts"
import { pullSchedule } from "./Schedules.ts"
import * as SharedRateBudgets from "./SharedRateBudgets.ts"
import { PullConnectionLayer } from "./Workflows.ts"

export interface AppOptions {
  /** The vendors this process runs with (`@taskbridge/vendors` in the apps). */
  readonly definitions: ReadonlyArray<VendorDefinition>
  readonly runtime: Runtime.RuntimeConfig
  /** Each connection's pull interval (default 30 s). */
  readonly pullInterval?: Duration.Input | undefined
  readonly sweep?: SweepOptions | undefined
  /**
   * Where vendor calls may go (the kit's egress policy, in force for every request and every saved base URL):
   * https, no userinfo, no internal addresses, except the hosts allowed here. Default: none allowed.
   */
  readonly egress?: EgressRules | undefined
}

/** Every repository, the engine and its adapters (from `definitions`) on top of `persistence` (migrated). */
export const engine = <E, R>(
  persistence: Layer.Layer<Layer.Success<typeof Persistence.layerRepositories> | SqlClient | Database, E, R>,
  definitions: ReadonlyArray<VendorDefinition>,
  egress: EgressRules = { allowHosts: [] },
) =>
  Layer.provideMerge(SyncEngine.layer, Registry.layer).pipe(
    // Vendor budgets: in memory on PGlite (one process), in the database on PostgreSQL (shared by every process).
    Layer.provideMerge(
      Layer.mergeAll(
        FetchHttpClient.layer,
        SharedRateBudgets.layerForDatabase,
        Registry.VendorDefinitions.layer(definitions),
        Layer.succeed(Egress, strict(egress)),
      ),
    ),
    Layer.provideMerge(persistence),
  )

/** The engine plus its durable runtime, as `options.runtime` says this process takes part in the cluster. */
export const make = <E, R>(
  options: AppOptions,
  persistence: Layer.Layer<Layer.Success<typeof Persistence.layerRepositories> | SqlClient | Database, E, R>,
) => {
  const schedule = pullSchedule(options.pullInterval)
  const hosted =
    options.runtime._tag === "client"
      ? Layer.empty
      : Layer.mergeAll(PushLaneLayer, PullConnectionLayer, schedule.layer, outboxSweep(options.sweep).layer)
  return Layer.mergeAll(hosted, Dispatcher.layer(schedule)).pipe(
    Layer.provideMerge(Runtime.layerFor(options.runtime)),
    Layer.provideMerge(engine(persistence, options.definitions, options.egress)),
  )
}

/** `make` on the database the environment names (DATABASE_URL, else embedded PGlite), migrated. */
export const layer = (options: AppOptions) => make(options, Persistence.layer)
