// Measures full Vambe listings of one large organization against the in-process emulator: listing calls, the largest
// answers and the time of a first pull (bisecting) and a second one (from the remembered plan).
// `pnpm --filter @taskbridge/adapter-vambe measure [tasks]` (default 100,000 tasks, 98 % in one organization).
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { ConnectionId } from "@taskbridge/domain/Ids"
import type { ChangePage } from "@taskbridge/domain/ports/VendorAdapter"
import { startVambe } from "@taskbridge/sandbox/vambe/Emulator"
import { Effect, Layer, Redacted, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { make } from "../src/Adapter.ts"

const size = Number(process.argv[2] ?? 100_000)
const vambe = await startVambe({ port: 0, seed: 1, size, shares: [98, 1, 1], requestLogCapacity: 100_000 })
const org = vambe.state().store.orgs[0]
if (org === undefined) throw new Error("no organization")
const tasks = vambe.state().store.tasksOf(0)
console.log(`organization: ${tasks.length} tasks, ${tasks.filter((t) => t.dueAt === null).length} without a date`)

const env = Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)
const largest = (pages: ReadonlyArray<ChangePage>, dated: boolean) =>
  Math.max(
    ...pages
      .filter((p) => p.records.every((r) => (r.snapshot.fields.due._tag === "None") !== dated))
      .map((p) => p.records.length),
  )

let memory = inMemory()
for (const run of [1, 2]) {
  const seq = vambe.control.requests.nextSeq()
  const started = performance.now()
  const pages = await Effect.runPromise(
    Effect.gen(function* () {
      const adapter = yield* make(
        { baseUrl: vambe.url, apiKey: Redacted.make(org.apiKey) },
        { connectionId: ConnectionId.make("measure"), memory },
      )
      return yield* Stream.runCollect(adapter.listChanges(null))
    }).pipe(Effect.provide(env)),
  )
  const millis = Math.round(performance.now() - started)
  const calls = vambe.control.requests.list({ since: seq - 1, limit: 100_000 }).length
  const records = pages.reduce((n, p) => n + p.records.length, 0)
  console.log(
    `pull ${run}: ${records} records, ${calls} listing calls, largest dated answer ${largest(pages, true)}, ` +
      `undated answer ${largest(pages, false)}, ${millis} ms`,
  )
  memory = inMemory(memory.current())
}
await vambe.close()
