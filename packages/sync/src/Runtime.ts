// The durable-execution runtime of the sync engine: which cluster runs the workflows (one process or several
// workers on one PostgreSQL), chosen from config, plus the few calls the engine makes into it. Workflows register
// with `MyWorkflow.toLayer(...)` on top of one of these layers; see README.md "Runtime".

import type { Database } from "@taskbridge/db/Database"
import { Config, Effect, Layer, Option, type Schema } from "effect"
import type { ConfigError } from "effect/Config"
import type { MessageStorage } from "effect/cluster/MessageStorage"
import type { Runners } from "effect/cluster/Runners"
import type { Sharding } from "effect/cluster/Sharding"
import type { SocketServerError } from "effect/socket/SocketServer"
import type { SqlClient } from "effect/sql/SqlClient"
import type * as Workflow from "effect/workflow/Workflow"
import type { WorkflowEngine } from "effect/workflow/WorkflowEngine"
import * as Cluster from "./runtime/Cluster.ts"
import * as Periodic from "./runtime/Periodic.ts"

export type { EmbeddedOptions, Tuning, WorkerOptions } from "./runtime/Cluster.ts"
export type { PeriodicOptions } from "./runtime/Periodic.ts"

/** Which cluster this process joins. */
export type RuntimeConfig =
  | ({ readonly _tag: "embedded" } & Cluster.EmbeddedOptions)
  | ({ readonly _tag: "worker" } & Cluster.WorkerOptions)
  | ({ readonly _tag: "client" } & Cluster.EmbeddedOptions)

/**
 * One process runs every workflow (SingleRunner): the default, and the only choice on PGlite.
 * Requires `SqlClient` and `@taskbridge/db/Database` (to tell PGlite from PostgreSQL).
 */
export const embedded = Cluster.embedded

/**
 * One runner among several processes on one PostgreSQL (SocketRunner, shard locks and runners in SQL).
 * Requires `SqlClient`; fails with `SocketServerError` if it cannot listen.
 */
export const worker = Cluster.worker

/**
 * A member that hosts no shards (an API process beside `worker` runners on PostgreSQL): it can start workflows and
 * poke schedules, which the workers run. Requires `SqlClient`.
 */
export const client = Cluster.client

/** What either cluster layer provides. */
export type Services = WorkflowEngine | Sharding | Runners | MessageStorage

/** The cluster layer for a config. */
export const layerFor = (
  config: RuntimeConfig,
): Layer.Layer<Services, ConfigError | SocketServerError, SqlClient | Database> =>
  config._tag === "embedded" ? embedded(config) : config._tag === "client" ? client(config) : worker(config)

const optional = <A>(config: Config.Config<A>) => Config.map(Config.option(config), Option.getOrUndefined)

/**
 * `TASKBRIDGE_RUNNER` = `embedded` (default) | `worker` | `client`; a worker also reads `TASKBRIDGE_RUNNER_HOST` (advertised,
 * default 127.0.0.1), `TASKBRIDGE_RUNNER_PORT` (default 0: any free port) and `TASKBRIDGE_RUNNER_LISTEN_HOST`.
 */
export const config: Config.Config<RuntimeConfig> = Config.all({
  runner: Config.Literals(["embedded", "worker", "client"], "TASKBRIDGE_RUNNER").pipe(
    Config.withDefault("embedded" as const),
  ),
  host: optional(Config.NonEmptyString("TASKBRIDGE_RUNNER_HOST")),
  port: optional(Config.Int("TASKBRIDGE_RUNNER_PORT")),
  listenHost: optional(Config.NonEmptyString("TASKBRIDGE_RUNNER_LISTEN_HOST")),
}).pipe(
  Config.map(
    ({ runner, ...worker }): RuntimeConfig => (runner === "worker" ? { _tag: "worker", ...worker } : { _tag: runner }),
  ),
)

/** The cluster named by the environment (see `config`). */
export const layerConfig = Layer.unwrap(
  Effect.gen(function* () {
    return layerFor(yield* config)
  }),
)

/**
 * Runs `workflow` to completion and returns its result. The workflow's idempotency key names the execution, so
 * running the same payload again — from any process, before or after a crash — joins the one execution.
 */
export const run = Effect.fn("Runtime.run")(function* <
  Name extends string,
  Payload extends Workflow.AnyStructSchema,
  Success extends Schema.Top,
  Error extends Schema.Top,
>(workflow: Workflow.Workflow<Name, Payload, Success, Error>, payload: Payload["~type.make.in"]) {
  return yield* workflow.execute(payload)
})

/** Starts `workflow` without waiting and returns its execution id (idempotent like `run`). */
export const start = Effect.fn("Runtime.start")(function* <
  Name extends string,
  Payload extends Workflow.AnyStructSchema,
  Success extends Schema.Top,
  Error extends Schema.Top,
>(workflow: Workflow.Workflow<Name, Payload, Success, Error>, payload: Payload["~type.make.in"]) {
  return yield* workflow.execute(payload, { discard: true })
})

/** The result of a started execution, or `None` while it has not finished. */
export const poll = Effect.fn("Runtime.poll")(function* <
  Name extends string,
  Payload extends Workflow.AnyStructSchema,
  Success extends Schema.Top,
  Error extends Schema.Top,
>(workflow: Workflow.Workflow<Name, Payload, Success, Error>, executionId: string) {
  return yield* workflow.poll(executionId)
})

/** A periodic per-key job (e.g. a pull per connection, every 30 s by default); see `runtime/Periodic.ts`. */
export const periodic = Periodic.make
export { stop } from "./runtime/Periodic.ts"
