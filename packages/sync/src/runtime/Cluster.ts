// The two cluster shapes under the workflow engine, both on the database's SqlClient: one process (SingleRunner) and
// several worker processes that reach each other over TCP (SocketRunner). Messages, replies, runners and shard locks
// live in `cluster_*` tables of the same database as the app's own tables.
import * as NodeClusterSocket from "@effect/platform-node-shared/NodeClusterSocket"
import * as NodeSocketServer from "@effect/platform-node-shared/NodeSocketServer"
import { Database } from "@taskbridge/db/Database"
import { Duration, Effect, Layer, Option } from "effect"
import * as ClusterWorkflowEngine from "effect/cluster/ClusterWorkflowEngine"
import * as RunnerAddress from "effect/cluster/RunnerAddress"
import * as RunnerHealth from "effect/cluster/RunnerHealth"
import * as Runners from "effect/cluster/Runners"
import * as ShardingConfig from "effect/cluster/ShardingConfig"
import * as SingleRunner from "effect/cluster/SingleRunner"
import * as SocketRunner from "effect/cluster/SocketRunner"
import * as SqlMessageStorage from "effect/cluster/SqlMessageStorage"
import * as SqlRunnerStorage from "effect/cluster/SqlRunnerStorage"
import * as Digest from "effect/crypto/Digest"
import * as RpcSerialization from "effect/rpc/RpcSerialization"
import { SocketServer } from "effect/socket/SocketServer"

/** Cluster tuning (intervals, lock expiry, shard count); every runner sharing a database must agree on `shardsPerGroup`. */
export type Tuning = Partial<ShardingConfig.ShardingConfig["Service"]>

export interface EmbeddedOptions {
  readonly sharding?: Tuning | undefined
}

export interface WorkerOptions {
  /** The host other runners dial to reach this one. Default `127.0.0.1`: set it when workers span machines. */
  readonly host?: string | undefined
  /** The port to listen on. Default `0`: the OS picks a free one and the runner advertises the port it got. */
  readonly port?: number | undefined
  /** The interface to listen on. Default: `host`. */
  readonly listenHost?: string | undefined
  readonly sharding?: Tuning | undefined
}

// Delayed messages (durable clocks, periodic ticks) and messages left behind by a crashed runner are picked up by the
// storage poll, so its interval bounds how late they run; the library's 10 s default is too coarse for a 30 s job.
const defaults: Tuning = { entityMessagePollInterval: Duration.seconds(1) }

const tuning = (overrides: Tuning | undefined): Tuning => ({ ...defaults, ...overrides })

// Digest hashes over-length message deduplication keys; Node 24's global WebCrypto provides it without a platform
// package.
const withEngine = <A, E, R>(cluster: Layer.Layer<A, E, R>) =>
  ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(cluster), Layer.provide(Digest.layerWebCrypto))

// SingleRunner has no network, but its config still names a runner address; a fixed local one keeps `HOST`/`PORT`
// from the environment (read by ShardingConfig.layerFromEnv) from leaking into it.
const singleAddress = Option.some(RunnerAddress.make("127.0.0.1", 34431))

/**
 * The whole cluster in this process. On PGlite runner storage is in memory: one process owns a PGlite data dir, and
 * SQL runner storage would reserve a connection for its shard locks, which on a pool of one stalls every other
 * statement. On PostgreSQL shard locks stay in SQL (advisory locks), so two processes started by mistake on one
 * database never run the same shard at once. Never run it next to `worker` runners: it cannot reach them.
 */
export const embedded = (options: EmbeddedOptions = {}) =>
  Layer.unwrap(
    Effect.gen(function* () {
      const { backend } = yield* Database
      return SingleRunner.layer({
        runnerStorage: backend._tag === "embedded" ? "memory" : "sql",
        shardingConfig: { ...tuning(options.sharding), runnerAddress: singleAddress },
      })
    }),
  ).pipe(withEngine)

const listenPort = Effect.fn("Runtime.listenPort")(function* (server: SocketServer["Service"]) {
  if (server.address._tag === "UnixPathAddress") return yield* Effect.die(new Error("a runner must listen on TCP"))
  return server.address.port
})

const socketCluster = (address: RunnerAddress.RunnerAddress, sharding: Tuning | undefined) => {
  const config = ShardingConfig.layer({
    ...tuning(sharding),
    runnerAddress: Option.some(address),
    runnerListenAddress: Option.none(),
  })
  // A runner pings the others to tell a crashed one from a slow one before its shards are reassigned.
  const health = RunnerHealth.layerPing.pipe(
    Layer.provide(Runners.layerRpc),
    Layer.provide(NodeClusterSocket.layerClientProtocol),
  )
  return SocketRunner.layer.pipe(
    Layer.provide([health, NodeClusterSocket.layerClientProtocol]),
    Layer.provideMerge(SqlMessageStorage.layer),
    Layer.provide(Layer.orDie(SqlRunnerStorage.layer)),
    Layer.provide([config, RpcSerialization.layerSchemaBinary()]),
  )
}

/**
 * One runner of a multi-process cluster on PostgreSQL. It registers itself in `cluster_runners`, takes its share of
 * the shards (advisory locks) and hands them back when its scope closes; a crashed runner's shards move once its
 * heartbeat is older than `shardLockExpiration` (35 s by default).
 */
export const worker = (options: WorkerOptions = {}) => {
  const host = options.host ?? "127.0.0.1"
  const server = NodeSocketServer.layer({ host: options.listenHost ?? host, port: options.port ?? 0 })
  // The server is bound first so that a port picked by the OS is the one the runner advertises.
  const cluster = Layer.unwrap(
    Effect.gen(function* () {
      const port = yield* listenPort(yield* SocketServer)
      return socketCluster(RunnerAddress.make(host, port), options.sharding)
    }),
  )
  return cluster.pipe(Layer.provide(server), withEngine)
}

/**
 * A cluster member that hosts no shards: an API process next to `worker` runners on PostgreSQL. It stores messages
 * (starting a workflow, poking a schedule) in SQL and reaches the runners over TCP, but never runs workflows itself.
 */
export const client = (options: { readonly sharding?: Tuning | undefined } = {}) => {
  const config = ShardingConfig.layer({ ...tuning(options.sharding), runnerAddress: Option.none() })
  return SocketRunner.layerClientOnly.pipe(
    Layer.provide(NodeClusterSocket.layerClientProtocol),
    Layer.provideMerge(SqlMessageStorage.layer),
    Layer.provide(Layer.orDie(SqlRunnerStorage.layer)),
    Layer.provide([config, RpcSerialization.layerSchemaBinary()]),
    withEngine,
  )
}
