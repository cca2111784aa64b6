// The engine side of a pull benchmark: the sync engine wired as the apps wire it (App.engine on the configured
// database, every vendor definition, the egress policy allowing the emulators' loopback), one connection, its pulls in
// one process — the backfill, then each incremental pull once the parent says the vendor changed. Reports each sync
// run's counts and wall time.
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import * as Persistence from "@taskbridge/db/Persistence"
import { ConnectionId, OrganizationId, type Vendor } from "@taskbridge/domain/Ids"
import * as App from "@taskbridge/sync/App"
import { SyncEngine } from "@taskbridge/sync/Engine"
import * as Heap from "@taskbridge/sync/Heap"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { childInput, report, step } from "../Child.ts"

export interface EngineInput {
  readonly env: Readonly<Record<string, string>>
  readonly vendor: Vendor
  readonly baseUrl: string
  readonly credentials: Readonly<Record<string, string>>
  readonly options: Readonly<Record<string, unknown>>
  /** Incremental pulls after the backfill, each once the parent has changed the vendor's records. */
  readonly rounds: number
}

export interface EngineResult {
  readonly records: number
  readonly pages: number
  readonly millis: number
  readonly cpuMillis: number
  readonly state: string
  readonly peakRssBytes: number
}

const input = childInput<EngineInput>()
Object.assign(process.env, input.env)
// As apps/worker starts: the same heap growth (TASKBRIDGE_HEAP_GROWTH_PERCENT, else 50%).
Effect.runSync(Heap.configure)

const organization = OrganizationId.make("bench-org")
const connection = ConnectionId.make("bench-connection")

const runtime = ManagedRuntime.make(
  App.engine(Persistence.layer, definitions, { allowHosts: ["127.0.0.1"] }).pipe(Layer.orDie),
)
await runtime.runPromise(
  Effect.gen(function* () {
    const orgs = yield* OrganizationRepository
    if ((yield* orgs.get(organization)) !== null) return
    yield* orgs.create({ id: organization, name: "Bench" })
    yield* (yield* ConnectionRepository).create({
      id: connection,
      organizationId: organization,
      vendor: input.vendor,
      name: `${input.vendor} bench`,
      baseUrl: input.baseUrl,
      credentials: Redacted.make(JSON.stringify(input.credentials)),
      statusScheme: null,
      identityMap: [],
      options: input.options as Record<string, never>,
      enabled: true,
    })
  }),
)
// One pull measured: its counts, wall time and this process's CPU time.
const measure = async () => {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const run = await runtime.runPromise(SyncEngine.use((engine) => engine.pull(connection)))
  const millis = performance.now() - started
  const { user, system } = process.cpuUsage(cpu)
  return {
    records: run.records,
    pages: run.pages,
    millis,
    cpuMillis: (user + system) / 1000,
    state: run.state,
    error: run.error,
  }
}
// The backfill, then (once the parent has changed the vendor's records) the incremental pull in the same process,
// as a running worker makes it: what it loaded and compiled for the backfill is warm.
let last = await measure()
for (let round = 0; round < input.rounds; round++) {
  await step(last)
  last = await measure()
}
await runtime.dispose()
report(last)
