// The API as the apps run it (apiLayer: the engine, an embedded runner, every repository) on the database the
// environment names, listening on a free port; the benchmark's clients load it from another process.

import { listen } from "@taskbridge/api/Server"
import { apiLayerConfig } from "@taskbridge/api/Services"
import * as Heap from "@taskbridge/sync/Heap"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Effect, ManagedRuntime } from "effect"
import { childInput, ready } from "../Child.ts"

const input = childInput<{ readonly env: Readonly<Record<string, string>> }>()
Object.assign(process.env, input.env)
// As apps/api starts: the same heap growth (TASKBRIDGE_HEAP_GROWTH_PERCENT, else 50%).
Effect.runSync(Heap.configure)

const runtime = ManagedRuntime.make(
  apiLayerConfig({
    definitions,
    runtime: { _tag: "embedded" },
    pullInterval: "1 hour",
    egress: { allowHosts: ["127.0.0.1"] },
  }),
)
await runtime.runPromise(Effect.void)
const server = await listen(runtime, { port: 0 })
ready({ url: server.url })
process.once("SIGTERM", async () => {
  await server.close()
  await runtime.dispose()
  process.exit(0)
})
