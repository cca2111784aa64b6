// Escalations through the one pipeline, on PGlite and PostgreSQL, against the CareValidate emulator over real HTTP:
// they are work items of kind `escalation` (the note is the description), pulled once with history; a local edit is
// one UPDATE_ESCALATION and is not echoed; completion arrives from the vendor and freezes them; clearing the note is
// refused before anything is stored; the same field edited on both sides becomes a conflict; and what the adapter
// learns (the case of each escalation, confirmed e-mails) survives a rebuilt engine without discovery calls.
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { Assignee } from "@taskbridge/domain/Assignment"
import { ConnectionId, OrganizationId, VendorRecordId } from "@taskbridge/domain/Ids"
import {
  ConflictRepository,
  HistoryRepository,
  OutboxRepository,
  TaskRepository,
} from "@taskbridge/domain/ports/Repositories"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { definitions } from "@taskbridge/vendors/Definitions"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { SyncEngine } from "../src/Engine.ts"
import * as Registry from "../src/Registry.ts"
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

/** A fresh engine on `db`: rebuilt from the same database, it is what a restarted process sees. */
const engineOn = (db: Parameters<typeof repositories>[0]) =>
  Layer.provideMerge(SyncEngine.layer, Registry.layer).pipe(
    Layer.provideMerge(repositories(db, new Uint8Array(32).fill(5))),
    Layer.provideMerge(
      Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer, Registry.VendorDefinitions.layer(definitions)),
    ),
  )

const stack = (backend: (typeof backends)[number]) => Layer.unwrap(Effect.map(backend.fresh, engineOn))

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
    const escalation = yield* (yield* TaskRepository).findByRecord(connection, VendorRecordId.make(id))
    if (escalation === null) return yield* Effect.die(new Error(`no local escalation for ${id}`))
    return escalation
  })

/** A local edit through the engine, as the API would make it; returns the escalation as it was before. */
const edit = (connection: ConnectionId, id: string, patch: Parameters<SyncEngine["Service"]["update"]>[0]["patch"]) =>
  Effect.gen(function* () {
    const local = yield* localOf(connection, id)
    const change = { organizationId: local.organizationId, id: local.id, expectedVersion: local.version }
    yield* (yield* SyncEngine).update({ ...change, patch, actor: "tester", origin: "api" })
    return local
  })

/** A local note edit: an escalation's one note is the work item's description. */
const editNote = (connection: ConnectionId, id: string, note: string) => edit(connection, id, { description: note })

const vendorNoteOf = (id: string) =>
  cv
    .state()
    .store.caseOfEscalation(id)
    ?.escalations.find((e) => e.id === id)?.note ?? null

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
        assert.strictEqual(local.kind, "escalation")
        assert.strictEqual(local.description, vendorNoteOf(id))
        const history = yield* (yield* HistoryRepository).list(local.organizationId, local.id)
        assert.deepStrictEqual(
          history.map((h) => h.origin),
          ["pull", "pull"],
        )
        assert.deepStrictEqual(
          history.at(-1)?.changes.map((c) => c.field),
          ["description"],
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
        yield* engine.push(connection.id, local.id)
        const sent = posts(seq).filter((r) => (r.body as { action?: string }).action === "UPDATE_ESCALATION")
        assert.strictEqual(sent.length, 1)
        assert.deepInclude(sent[0]?.body as object, { action: "UPDATE_ESCALATION" })
        const record = local.links[0]?.recordId ?? ""
        const pushed = yield* localOf(connection.id, record)
        yield* engine.pull(connection.id)
        assert.strictEqual((yield* localOf(connection.id, record)).version, pushed.version)
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
        assert.deepStrictEqual([local.status, local.links[0]?.vendorStatus], ["done", "completed"])
        assert.isNotNull(local.closedAt)
        const refused = yield* Effect.flip(editNote(connection.id, id, "x"))
        assert.strictEqual(refused._tag, "PatchRejected")
        assert.deepStrictEqual(
          refused._tag === "PatchRejected" ? refused.violations.map((v) => [v.field, v.rule, v.vendor]) : [],
          [["description", "terminal-state", "carevalidate"]],
        )
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
          [["description", "Local note"]],
        )
        assert.strictEqual((yield* localOf(connection.id, id)).description, "Local note")
      }),
    )

    test(
      "a change to an escalation CareValidate completed meanwhile is not sent: the escalation follows the vendor",
      Effect.gen(function* () {
        const connection = yield* setup
        const engine = yield* SyncEngine
        const id = activeEscalation()
        const local = yield* editNote(connection.id, id, "Too late")
        cv.control.clock.advance(1_000)
        cv.control.activity.step(1, { kinds: ["complete"], id })
        const seq = cv.control.requests.nextSeq()
        yield* engine.push(connection.id, local.id)
        assert.strictEqual(posts(seq).length, 0, "the look before writing saw it completed: nothing was sent")
        const discarded = yield* (yield* OutboxRepository).list(local.organizationId, { state: "discarded", limit: 10 })
        assert.include(discarded[0]?.lastError ?? "", "the vendor closed the record (completed)")
        assert.deepStrictEqual(
          yield* (yield* OutboxRepository).list(local.organizationId, { state: "dead", limit: 10 }),
          [],
        )
        const after = yield* localOf(connection.id, id)
        assert.deepStrictEqual([after.status, after.description], ["done", vendorNoteOf(id)])
      }),
    )

    test(
      "clearing an escalation's note is refused before anything is stored or queued, naming field, rule and vendor",
      Effect.gen(function* () {
        const connection = yield* setup
        const id = activeEscalation()
        const before = yield* localOf(connection.id, id)
        const refused = yield* Effect.flip(edit(connection.id, id, { description: null }))
        assert.deepStrictEqual(
          refused._tag === "PatchRejected" ? refused.violations.map((v) => [v.field, v.rule, v.vendor]) : [],
          [["description", "not-clearable", "carevalidate"]],
        )
        assert.strictEqual((yield* localOf(connection.id, id)).version, before.version, "nothing stored")
        assert.deepStrictEqual(
          yield* (yield* OutboxRepository).unfinished(connection.id, [before.id]),
          [],
          "nothing queued",
        )
      }),
    )

    it.live(
      "remembers each escalation's case and the e-mails CareValidate confirmed across a restart: no discovery calls",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const db = yield* backend.fresh
            const id = activeEscalation()
            const agent = cv.state().store.orgs[0]?.users.find((u) => u.role === "CVTPA")
            if (agent === undefined) return yield* Effect.die(new Error("no CVTPA user"))
            const connection = yield* setup.pipe(Effect.provide(engineOn(db)))
            // A first process assigns by e-mail; CareValidate answers with the user id, and the pair is learned.
            yield* Effect.gen(function* () {
              const local = yield* edit(connection.id, id, {
                assignees: [Assignee.cases.Email.make({ email: agent.email })],
              })
              yield* (yield* SyncEngine).push(connection.id, local.id)
            }).pipe(Effect.provide(engineOn(db)))
            // A second process on the same database: it reads the escalation and its case from the link, no search.
            const seq = cv.control.requests.nextSeq()
            const after = yield* Effect.gen(function* () {
              const local = yield* editNote(connection.id, id, "Second process")
              yield* (yield* SyncEngine).push(connection.id, local.id)
              return yield* localOf(connection.id, id)
            }).pipe(Effect.provide(engineOn(db)))
            const sent = cv.control.requests.list({ since: seq - 1 })
            assert.isFalse(
              sent.some((r) => r.path.startsWith("/api/v1/cases?")),
              "no case listing: the case was known",
            )
            assert.deepStrictEqual(
              sent.map((r) => r.method),
              ["GET", "POST"],
              "one read before writing, one write",
            )
            assert.deepStrictEqual(after.assignees, [Assignee.cases.Email.make({ email: agent.email })])
            const stored = yield* ConnectionRepository.use((c) => c.find(connection.id)).pipe(
              Effect.provide(engineOn(db)),
            )
            assert.deepStrictEqual(
              stored.identityMap.map((e) => e.email.toLowerCase()),
              [agent.email.toLowerCase()],
            )
          }),
        ).pipe(Effect.orDie),
      60_000,
    )
  })
}
