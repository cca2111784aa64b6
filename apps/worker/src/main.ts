// A taskbridge worker: one cluster runner on PostgreSQL hosting the sync workflows (pushes, pulls), every
// connection's pull schedule and the outbox sweep. Start as many as needed against one DATABASE_URL; each takes a
// share of the shards, and SIGTERM/SIGINT hands its shards back before the process exits.
//   DATABASE_URL (required)  TASKBRIDGE_SECRET_KEY  TASKBRIDGE_RUNNER_HOST/PORT/LISTEN_HOST  TASKBRIDGE_PULL_INTERVAL
//   TASKBRIDGE_ALLOWED_HOSTS (vendor hosts reached over http or on internal addresses; see apps/api)
//   TASKBRIDGE_SHARD_LOCK_EXPIRATION (35 seconds: how long a crashed worker's shards wait before they move)
//   TASKBRIDGE_HEAP_GROWTH_PERCENT (50: how far V8 lets the heap grow past its live data; 0 leaves V8 to decide)
import { runMain } from "@effect/platform-node-shared/NodeRuntime"
import { rulesFrom } from "@taskbridge/adapter-kit/Egress"
import * as App from "@taskbridge/sync/App"
import * as Heap from "@taskbridge/sync/Heap"
import { pullInterval } from "@taskbridge/sync/Schedules"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Cause, Config, Duration, Effect, Exit, Layer, Option } from "effect"

// What this process creates is for its owner alone, whatever the shell's umask.
process.umask(0o077)

const optional = <A>(config: Config.Config<A>) => Config.map(Config.option(config), Option.getOrUndefined)

// A killed worker's shards stay locked to it until its heartbeat is this old; every worker (and client) on one
// database must agree, so it is a deployment setting rather than a per-process one. Locks are refreshed three
// times per expiry (the library's ratio), never less often than its 10 s default.
const shardLockExpiration = Config.map(optional(Config.Duration("TASKBRIDGE_SHARD_LOCK_EXPIRATION")), (expiry) =>
  expiry === undefined
    ? undefined
    : {
        shardLockExpiration: expiry,
        shardLockRefreshInterval: Duration.min(Duration.divideUnsafe(expiry, 3), Duration.seconds(10)),
      },
)

const main = Effect.gen(function* () {
  const databaseUrl = yield* optional(Config.String("DATABASE_URL"))
  if (databaseUrl === undefined) {
    // PGlite belongs to one process; `pnpm start` (the API with its in-process runner) is the embedded shape.
    console.error(
      "taskbridge worker: DATABASE_URL is required: workers share one PostgreSQL with each other and the API",
    )
    return yield* Effect.sync(() => process.exit(2))
  }
  const settings = yield* Config.all({
    host: optional(Config.NonEmptyString("TASKBRIDGE_RUNNER_HOST")),
    port: optional(Config.Int("TASKBRIDGE_RUNNER_PORT")),
    listenHost: optional(Config.NonEmptyString("TASKBRIDGE_RUNNER_LISTEN_HOST")),
    pullInterval,
    allowedHosts: Config.String("TASKBRIDGE_ALLOWED_HOSTS").pipe(Config.withDefault("")),
    sharding: shardLockExpiration,
  })
  // Before the runner starts: a pull's records are short-lived, so the heap need not grow far past the live data.
  yield* Heap.configure
  const { pullInterval: interval, allowedHosts, ...worker } = settings
  const app = App.layer({
    definitions,
    runtime: { _tag: "worker", ...worker },
    pullInterval: interval,
    egress: rulesFrom(allowedHosts),
  })
  yield* Layer.launch(
    Layer.merge(
      app,
      Layer.effectDiscard(
        Effect.sync(() => console.log("taskbridge worker: runner started; Ctrl-C hands its shards back")),
      ),
    ),
  )
})

// SIGTERM/SIGINT interrupt the runner: a shutdown someone asked for, so it exits 0 once the shards are handed back.
main.pipe(
  runMain({
    teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause) ? 0 : 1),
  }),
)
