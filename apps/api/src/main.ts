// The API process: the tRPC server on the engine, with an in-process runner by default (embedded, PGlite or
// PostgreSQL) or as a client of `apps/worker` runners (TASKBRIDGE_RUNNER=client). `--demo <sandbox urls>` also sets
// up the demo organization and prints its admin token, the console's URL, a one-time sign-in link and backfill
// progress (what `pnpm start` runs). The API serves the built console (apps/admin/dist) at `/`.
//   TASKBRIDGE_API_PORT (4000)  TASKBRIDGE_API_HOST (127.0.0.1)  DATABASE_URL | TASKBRIDGE_DATA_DIR
//   TASKBRIDGE_RUNNER (embedded | client | worker)  TASKBRIDGE_PULL_INTERVAL (30 seconds)
//   TASKBRIDGE_ALLOWED_HOSTS (vendor hosts reached over http or on internal addresses, e.g. the sandbox's loopback)
//   TASKBRIDGE_DEMO_TOKEN_FILE (<data dir>/demo-admin-token)
//   TASKBRIDGE_HEAP_GROWTH_PERCENT (50: how far V8 lets the heap grow past its live data; 0 leaves V8 to decide)
import { join } from "node:path"
import { parseArgs } from "node:util"
import { rulesFrom } from "@taskbridge/adapter-kit/Egress"
import * as Heap from "@taskbridge/sync/Heap"
import * as Runtime from "@taskbridge/sync/Runtime"
import { pullInterval } from "@taskbridge/sync/Schedules"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Config, Effect, ManagedRuntime, Option } from "effect"
import { backfillProgress, ensureDemo, signInLink } from "./Demo.ts"
import { listen } from "./Server.ts"
import { apiLayerConfig } from "./Services.ts"
import { signInCodeSeconds } from "./Session.ts"

// Everything this process creates (the embedded data, the key, the demo token) is for its owner alone, whatever the
// shell's umask.
process.umask(0o077)

const argv = process.argv.slice(2)
const { values } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: { demo: { type: "string" }, port: { type: "string" }, host: { type: "string" } },
})

const settings = await Effect.runPromise(
  Config.all({
    port: Config.Port("TASKBRIDGE_API_PORT").pipe(Config.withDefault(4000)),
    host: Config.String("TASKBRIDGE_API_HOST").pipe(Config.withDefault("127.0.0.1")),
    runtime: Runtime.config,
    pullInterval,
    dataDir: Config.String("TASKBRIDGE_DATA_DIR").pipe(Config.withDefault(join(".taskbridge", "data"))),
    allowedHosts: Config.String("TASKBRIDGE_ALLOWED_HOSTS").pipe(Config.withDefault("")),
    tokenFile: Config.option(Config.String("TASKBRIDGE_DEMO_TOKEN_FILE")),
    heapGrowth: Heap.growthPercent,
  }),
).catch((error: unknown) => {
  console.error(`taskbridge api: configuration error: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(2)
})

// Before the layer builds: the engine (embedded runner) and every request allocate from here on.
Heap.apply(settings.heapGrowth)
const port = values.port === undefined ? settings.port : Number(values.port)
// Beside the data and its key, in the owner-only data folder.
const tokenFile = Option.getOrElse(settings.tokenFile, () => join(settings.dataDir, "demo-admin-token"))
const host = values.host ?? settings.host
const runtime = ManagedRuntime.make(
  apiLayerConfig({
    definitions,
    runtime: settings.runtime,
    pullInterval: settings.pullInterval,
    egress: rulesFrom(settings.allowedHosts),
  }),
)

let stopping = false
const stop = async (code: number) => {
  if (stopping) return
  stopping = true
  console.log("taskbridge api: shutting down")
  await server?.close()
  // Closing the runtime hands this runner's shards back and closes the database (PGlite flushes its data dir).
  await runtime.dispose()
  process.exit(code)
}
process.once("SIGINT", () => void stop(0))
process.once("SIGTERM", () => void stop(0))

let server: Awaited<ReturnType<typeof listen>> | undefined
try {
  // Builds the layer first: migrations run and the database opens before the port is taken.
  await runtime.runPromise(Effect.void)
  server = await listen(runtime, { port, host })
} catch (error) {
  console.error(`taskbridge api: could not start: ${error instanceof Error ? error.message : String(error)}`)
  await runtime.dispose().catch(() => undefined)
  process.exit(1)
}
console.log(`taskbridge api: listening on ${server.url}/trpc (runner: ${settings.runtime._tag})`)

if (values.demo !== undefined) {
  const sandbox = values.demo.split(",").filter((url) => url !== "")
  const demo = await runtime
    .runPromise(ensureDemo({ sandbox, apiUrl: server.url, tokenFile }))
    .catch((error: unknown) => {
      console.error(`taskbridge api: ${error instanceof Error ? error.message : String(error)}`)
      return null
    })
  if (demo === null) await stop(1)
  else {
    const names = new Map(demo.connections.map((c) => [c.id as string, c.name]))
    console.log(`taskbridge: demo organization with ${demo.connections.length} vendor connections`)
    console.log(`taskbridge: API      ${server.url}/trpc`)
    console.log(`taskbridge: console  ${server.url}/`)
    console.log(`taskbridge: token    ${demo.token}   (admin; kept in ${tokenFile})`)
    const link = await runtime
      .runPromise(signInLink(demo.token, server.url, signInCodeSeconds))
      .catch((error: unknown) => `(none: ${error instanceof Error ? error.message : String(error)})`)
    console.log(`taskbridge: sign in  ${link}   (opens the console signed in as the demo admin; works once, 15 min)`)
    const last = new Map<string, string>()
    const watch = async () => {
      while (!stopping) {
        const done = await runtime.runPromise(backfillProgress(names, last)).catch(() => false)
        if (done) {
          console.log("taskbridge: backfills finished; pulls continue every interval. Ctrl-C stops everything.")
          return
        }
        await new Promise((resolve) => setTimeout(resolve, 1000))
      }
    }
    void watch()
  }
}
