// An API on a fresh database for router and HTTP tests: the production layer (App.make, embedded runner) on a
// backend from the db package's test support, one ManagedRuntime, and helpers to create organizations and tokens.
import type { VendorDefinition } from "@taskbridge/adapter-kit/Definition"
import { type ApiRole, OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { type Backend, repositories } from "@taskbridge/db/testing/Backends"
import { ConnectionId, OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import * as PushLanes from "@taskbridge/sync/PushLanes"
import { embeddedFast } from "@taskbridge/sync/testing/Tuning"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Effect, Exit, ManagedRuntime, Redacted, Scope } from "effect"
import { createCaller } from "../../src/Router.ts"
import { contextFor } from "../../src/Server.ts"
import { type ApiServices, apiLayer } from "../../src/Services.ts"

export interface Harness {
  readonly runtime: ManagedRuntime.ManagedRuntime<ApiServices, unknown>
  readonly env: Readonly<Record<string, string>>
  /** A new organization and a token of `role` for it. */
  readonly organization: (
    name: string,
    role?: ApiRole,
  ) => Promise<{ readonly id: OrganizationId; readonly token: string }>
  /** Another token for an existing organization. */
  readonly token: (org: OrganizationId, role: ApiRole, name?: string) => Promise<string>
  /** Whether the push lane is done with an outbox row's task for now (as `sync.outbox` lists it): not waiting, not sending. */
  readonly pushFinished: (entry: QueuedRow) => Promise<boolean>
  /** A tRPC caller as the holder of `token` would be (undefined: no Authorization header). */
  readonly caller: (token: string | undefined) => Promise<ReturnType<typeof createCaller>>
  readonly close: () => Promise<void>
}

/** An outbox row in its wire form. */
export interface QueuedRow {
  readonly id: string
  readonly connectionId: string
  readonly taskId: string
}

export const secretKey = new Uint8Array(32).fill(7)

export interface HarnessOptions {
  /** The vendor definitions the API runs with; default the apps' list (a test may swap one for a tuned copy). */
  readonly definitions?: ReadonlyArray<VendorDefinition> | undefined
}

export const startHarness = async (backend: Backend, options: HarnessOptions = {}): Promise<Harness> => {
  const scope = Effect.runSync(Scope.make())
  const db = await Effect.runPromise(Scope.provide(scope)(backend.fresh))
  const layer = apiLayer(
    {
      definitions: options.definitions ?? definitions,
      runtime: { _tag: "embedded", sharding: embeddedFast },
      pullInterval: "1 hour",
      sweep: { interval: "500 millis" },
      // The emulators listen on 127.0.0.1 over http; everything else meets the production egress policy.
      egress: { allowHosts: ["127.0.0.1"] },
    },
    repositories(db, secretKey),
  )
  const runtime = ManagedRuntime.make(layer)
  const token = (org: OrganizationId, role: ApiRole, name = `${role} token`) =>
    runtime.runPromise(
      Effect.map(
        OrganizationRepository.use((orgs) => orgs.issueToken(org, name, role)),
        (issued) => Redacted.value(issued.token),
      ),
    )
  let count = 0
  return {
    runtime,
    env: db.env,
    token,
    organization: async (name, role = "admin") => {
      count += 1
      const id = OrganizationId.make(`org-${count}-${name}`)
      await runtime.runPromise(OrganizationRepository.use((orgs) => orgs.create({ id, name })))
      return { id, token: await token(id, role) }
    },
    pushFinished: (entry) =>
      runtime.runPromise(
        Effect.map(PushLanes.status(ConnectionId.make(entry.connectionId)), (lane) => {
          const task = TaskId.make(entry.taskId)
          return !lane.ready.includes(task) && !lane.inFlight.includes(task)
        }),
      ),
    caller: async (value) =>
      createCaller(await contextFor(runtime, value === undefined ? undefined : `Bearer ${value}`)),
    close: async () => {
      await runtime.dispose()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    },
  }
}
