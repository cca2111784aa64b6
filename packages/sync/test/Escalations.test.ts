// Escalations through the engine, on PGlite and PostgreSQL, against the CareValidate emulator over real HTTP:
// pulled once with history, a local edit is one UPDATE_ESCALATION and is not echoed, completion arrives from the
// vendor and freezes the escalation, and the same field edited on both sides becomes a conflict.
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { ConnectionId, OrganizationId, VendorRecordId } from "@taskbridge/domain/Ids"
import {
  ConflictRepository,
  EscalationRepository,
  HistoryRepository,
  OutboxRepository,
} from "@taskbridge/domain/ports/Repositories"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import * as Adapters from "../src/Adapters.ts"
import { SyncEngine } from "../src/Engine.ts"
import { backends, repositories } from "./support/backends.ts"

type CareValidate = Awaited<ReturnType<typeof startCareValidate>>
let cv: CareValidate
beforeAll(async () => {
  cv = await startCareValidate({ port: 0, seed: 4, size: 8 })
})
beforeEach(() => {
  cv.control.reset()
})
afterAll(async () => {
  await cv.close()
})

/** An active escalation of the first organization, which the connection's key belongs to. */
const activeEscalation = () => {
  const found = cv
    .state()
    .store.cases.find((c) => c.org === 0 && !c.isArchived && c.escalations.some((e) => !e.isCompleted))
  const escalation = found?.escalations.find((e) => !e.isCompleted)
  if (escalation === undefined) throw new Error("the emulator seeded no active escalation")
  return escalation.id
}
const posts = (seq: number) => cv.control.requests.list({ since: seq - 1 }).filter((r) => r.method === "POST")

const stack = (backend: (typeof backends)[number]) =>
  Layer.provideMerge(SyncEngine.layer, Adapters.layer).pipe(
    Layer.provideMerge(Layer.unwrap(Effect.map(backend.fresh, (db) => repositories(db, new Uint8Array(32).fill(5))))),
    Layer.provideMerge(Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer)),
  )

const setup = Effect.gen(function* () {
  const org = cv.state().store.orgs[0]
  if (org === undefined) return yield* Effect.die(new Error("no organization"))
  const organization = yield* (yield* OrganizationRepository).create({ id: OrganizationId.make("org-cv"), name: "CV" })
  const connection = yield* (yield* ConnectionRepository).create({
    id: ConnectionId.make("conn-cv"),
    organizationId: organization.id,
    vendor: "carevalidate",
    name: "CareValidate sandbox",
    baseUrl: cv.url,
    credentials: Redacted.make(JSON.stringify({ apiKey: org.apiKey })),
    statusScheme: null,
    identityMap: [],
    options: {},
    enabled: true,
  })
  yield* (yield* SyncEngine).pull(connection.id)
  return connection
})

const localOf = (connection: ConnectionId, id: string) =>
  Effect.gen(function* () {
    const escalation = yield* (yield* EscalationRepository).findByRecord(connection, VendorRecordId.make(id))
    if (escalation === null) return yield* Effect.die(new Error(`no local escalation for ${id}`))
    return escalation
  })

/** A local note edit through the engine, as the API would make it; returns the escalation as it was before. */
const editNote = (connection: ConnectionId, id: string, note: string) =>
  Effect.gen(function* () {
    const local = yield* localOf(connection, id)
    const edit = { organizationId: local.organizationId, id: local.id, expectedVersion: local.version, actor: "tester" }
    yield* (yield* SyncEngine).updateEscalation({ ...edit, patch: { note } })
    return local
  })

for (const backend of backends) {
  const test = (name: string, body: Effect.Effect<void, unknown, Layer.Success<ReturnType<typeof stack>>>) =>
    it.live(name, () => body.pipe(Effect.provide(stack(backend)), Effect.orDie), 60_000)

  describe(`escalation sync on ${backend.name}`, () => {
    test(
      "a vendor-side note edit arrives with its history",
      Effect.gen(function* () {
        const connection = yield* setup
        const id = activeEscalation()
        cv.control.clock.advance(1_000)
        cv.control.activity.step(1, { kinds: ["note"], id })
        yield* (yield* SyncEngine).pull(connection.id)
        const local = yield* localOf(connection.id, id)
        const vendorNote =
          cv
            .state()
            .store.caseOfEscalation(id)
            ?.escalations.find((e) => e.id === id)?.note ?? null
        assert.strictEqual(local.note, vendorNote)
        const history = yield* (yield* HistoryRepository).list(local.organizationId, {
          kind: "escalation",
          id: local.id,
        })
        assert.deepStrictEqual(
          history.map((h) => h.origin),
          ["pull", "pull"],
        )
        assert.deepStrictEqual(
          history.at(-1)?.changes.map((c) => c.field),
          ["note"],
        )
      }),
    )

    test(
      "a local note edit is one UPDATE_ESCALATION and the next pull does not echo it",
      Effect.gen(function* () {
        const connection = yield* setup
        const engine = yield* SyncEngine
        const seq = cv.control.requests.nextSeq()
        const local = yield* editNote(connection.id, activeEscalation(), "Patient confirmed the new address.")
        yield* engine.push(connection.id, { kind: "escalation", id: local.id })
        const sent = posts(seq)
        assert.strictEqual(sent.length, 1)
        assert.deepInclude(sent[0]?.body as object, { action: "UPDATE_ESCALATION" })
        const pushed = yield* localOf(connection.id, local.recordId)
        yield* engine.pull(connection.id)
        assert.strictEqual((yield* localOf(connection.id, local.recordId)).version, pushed.version)
      }),
    )

    test(
      "completion arrives from CareValidate and freezes the escalation against local edits",
      Effect.gen(function* () {
        const connection = yield* setup
        const id = activeEscalation()
        cv.control.clock.advance(1_000)
        cv.control.activity.step(1, { kinds: ["complete"], id })
        const engine = yield* SyncEngine
        yield* engine.pull(connection.id)
        const local = yield* localOf(connection.id, id)
        assert.strictEqual(local.state, "completed")
        assert.isNotNull(local.completedAt)
        const edit = {
          organizationId: local.organizationId,
          id: local.id,
          expectedVersion: local.version,
          patch: { note: "x" },
          actor: "tester",
        }
        const refused = yield* Effect.flip(engine.updateEscalation(edit))
        assert.strictEqual(refused._tag, "TerminalState")
      }),
    )

    test(
      "the same note edited on both sides becomes a conflict that keeps the local value",
      Effect.gen(function* () {
        const connection = yield* setup
        const engine = yield* SyncEngine
        const id = activeEscalation()
        const local = yield* editNote(connection.id, id, "Local note")
        cv.control.clock.advance(1_000)
        cv.control.activity.step(1, { kinds: ["note"], id })
        yield* engine.pull(connection.id)
        const conflicts = yield* (yield* ConflictRepository).open(local.organizationId)
        assert.deepStrictEqual(
          conflicts.map((c) => [c.field, c.local]),
          [["note", "Local note"]],
        )
        assert.strictEqual((yield* localOf(connection.id, id)).note, "Local note")
      }),
    )

    test(
      "a change CareValidate refuses because the escalation was completed meanwhile is dead-lettered, not retried",
      Effect.gen(function* () {
        const connection = yield* setup
        const engine = yield* SyncEngine
        const id = activeEscalation()
        const local = yield* editNote(connection.id, id, "Too late")
        cv.control.activity.step(1, { kinds: ["complete"], id })
        const seq = cv.control.requests.nextSeq()
        yield* engine.push(connection.id, { kind: "escalation", id: local.id })
        assert.strictEqual(posts(seq).length, 1, "sent once, refused, not retried")
        const dead = yield* (yield* OutboxRepository).list(local.organizationId, { state: "dead", limit: 10 })
        assert.strictEqual(dead.length, 1)
        assert.include(dead[0]?.lastError ?? "", "TerminalState")
      }),
    )
  })
}
