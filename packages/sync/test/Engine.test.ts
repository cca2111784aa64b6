// The sync engine end to end, on embedded PGlite and on real PostgreSQL, against the Candid emulator over real
// HTTP: replayed pages change nothing, a local edit is one PATCH and is not echoed back, vendor edits arrive with
// history, disjoint edits merge, overlapping ones follow the policy or become conflicts, transient failures are
// retried until the change lands once, and permanent ones are dead-lettered.
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "@effect/vitest"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { vendorRetry } from "@taskbridge/adapter-kit/Retry"
import { Assignee } from "@taskbridge/domain/Assignment"
import { Due, PlainDate } from "@taskbridge/domain/Due"
import { OrganizationId, type TaskId, UserId, VendorRecordId } from "@taskbridge/domain/Ids"
import type { TaskPatch } from "@taskbridge/domain/Patch"
import {
  CheckpointRepository,
  ConflictRepository,
  HistoryRepository,
  LinkRepository,
  OutboxRepository,
  QuarantineRepository,
  SyncRunRepository,
  TaskRepository,
} from "@taskbridge/domain/ports/Repositories"
import { VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import { type Task, Title } from "@taskbridge/domain/Task"
import { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { definitions } from "@taskbridge/vendors/Definitions"
import { DateTime, Effect, Fiber, Layer, Schedule, type Schema, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { resolveConflict } from "../src/Conflicts.ts"
import { createTask } from "../src/Create.ts"
import { SyncEngine } from "../src/Engine.ts"
import { updateTask } from "../src/Local.ts"
import { applyPage, applyRecordNow, type Target } from "../src/Pull.ts"
import { drain } from "../src/Push.ts"
import * as PushLanes from "../src/PushLanes.ts"
import * as Registry from "../src/Registry.ts"
import * as Runtime from "../src/Runtime.ts"
import { pullSchedule } from "../src/Schedules.ts"
import { PullConnection, PullConnectionLayer } from "../src/Workflows.ts"
import { backends, repositories } from "./support/backends.ts"
import { candidConnection } from "./support/candid.ts"
import { embeddedFast } from "./support/fast.ts"

type Candid = Awaited<ReturnType<typeof startCandid>>
let candid: Candid
beforeAll(async () => {
  candid = await startCandid({ port: 0, seed: 3, size: 40 })
})
beforeEach(() => {
  candid.control.reset()
})
afterAll(async () => {
  await candid.close()
})

const org0 = () => {
  const org = candid.state().store.orgs[0]
  if (org === undefined) throw new Error("no organization")
  return org
}
const recordIds = () => {
  const { tasks, ids } = candid.state().store
  const out: Array<string> = []
  for (let i = 0; i < tasks.length; i++) if (tasks.cols.org[i] === 0) out.push(ids.task.encode(i))
  return out
}
/** Requests from `seq` on, as the emulator logged them (its `since` is exclusive). */
const requestsFrom = (seq: number) => candid.control.requests.list({ since: seq - 1 })
const patches = (seq: number) => requestsFrom(seq).filter((r) => r.method === "PATCH")

/** A vendor-side user edits a task through Candid's own API. */
const vendorEdit = async (id: string, body: unknown) => {
  const org = org0()
  const token = await fetch(`${candid.url}/api/auth/v2/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: org.clientId, client_secret: org.clientSecret }),
  }).then((r) => r.json() as Promise<{ access_token: string }>)
  const response = await fetch(`${candid.url}/api/tasks/v3/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${token.access_token}` },
    body: JSON.stringify(body),
  })
  if (response.status !== 200) throw new Error(`vendor edit failed: ${response.status}`)
}

const setup = (options: Record<string, Schema.Json> = {}) =>
  Effect.gen(function* () {
    const connection = yield* candidConnection(candid, "demo", options)
    const adapter = yield* (yield* VendorAdapters).forConnection(connection.id)
    return { connection, adapter } satisfies Target
  })

const pullAll = (target: Target) =>
  Effect.gen(function* () {
    const checkpoint = yield* (yield* CheckpointRepository).get(target.connection.id)
    yield* Stream.runForEach(target.adapter.listChanges(checkpoint), (page) => applyPage(target, page))
  })

const taskOf = (target: Target, id: string) =>
  Effect.gen(function* () {
    const task = yield* (yield* TaskRepository).findByRecord(target.connection.id, VendorRecordId.make(id))
    if (task === null) return yield* Effect.die(new Error(`no local task for ${id}`))
    return task
  })

/** A local edit of `task` at the version it was read at, as the API would make it. */
const editHere = (task: Task, patch: TaskPatch) =>
  updateTask({
    organizationId: task.organizationId,
    id: task.id,
    expectedVersion: task.version,
    patch,
    actor: "tester",
    origin: "api",
  })

/** Where each history entry of `task` came from, oldest first. */
const originsOf = (task: { readonly organizationId: OrganizationId; readonly id: TaskId }) =>
  Effect.map(
    HistoryRepository.use((history) => history.list(task.organizationId, task.id)),
    (entries) => entries.map((h) => h.origin),
  )

const user = "6f1c2a52-8c1d-4a8e-9d2b-0c5e7f9a1b3d"
const assign = (target: Target, id: string) =>
  Effect.gen(function* () {
    const task = yield* taskOf(target, id)
    const patch = { assignees: [Assignee.cases.User.make({ id: UserId.make(user) })] }
    return yield* editHere(task, patch)
  })

/** The local status and Candid's both change after a pull; returns the task and the local value. */
const statusEditedOnBothSides = (target: Target, id: string) =>
  Effect.gen(function* () {
    yield* pullAll(target)
    const task = yield* taskOf(target, id)
    const local = task.status === "waiting" ? "open" : "waiting"
    const patch = { status: local } as const
    yield* editHere(task, patch)
    candid.control.clock.advance(1_000)
    yield* Effect.promise(() => vendorEdit(id, { status: "in_progress" }))
    yield* pullAll(target)
    return { task, local }
  })

/** A local assignee change queued for Candid, with the adapter already authenticated so faults meet the push. */
const queuedAssignment = (target: Target, id: string) =>
  Effect.gen(function* () {
    yield* pullAll(target)
    const queued = yield* assign(target, id)
    yield* target.adapter.get({ id: VendorRecordId.make(id), parent: null })
    return queued
  })

/** Every repository on a fresh, migrated database of `backend`, with a fixed test key for credentials. */
const stack = (backend: (typeof backends)[number]) =>
  Layer.unwrap(Effect.map(backend.fresh, (db) => repositories(db, new Uint8Array(32).fill(3))))

for (const backend of backends) {
  const env = Layer.provideMerge(SyncEngine.layer, Registry.layer).pipe(
    Layer.provideMerge(stack(backend)),
    Layer.provideMerge(
      Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer, Registry.VendorDefinitions.layer(definitions)),
    ),
  )
  const test = (name: string, body: Effect.Effect<void, unknown, Layer.Success<typeof env>>) =>
    it.live(name, () => body.pipe(Effect.provide(env), Effect.orDie), 60_000)

  const schedule = pullSchedule("300 millis")
  const durable = Layer.mergeAll(PushLanes.PushLaneLayer, PullConnectionLayer, schedule.layer).pipe(
    Layer.provideMerge(Runtime.embedded({ sharding: embeddedFast })),
    Layer.provideMerge(env),
  )

  describe(`sync workflows on ${backend.name}`, () => {
    it.live(
      "a connection's pull schedule runs pulls on its interval, one after another",
      () =>
        Effect.gen(function* () {
          const target = yield* setup()
          yield* schedule.start(target.connection.id)
          const runs = yield* (yield* SyncRunRepository).list(target.connection.id, 10).pipe(
            Effect.repeat({
              schedule: Schedule.spaced("100 millis"),
              until: (r) => r.filter((x) => x.state === "succeeded").length >= 2,
            }),
            Effect.timeout("30 seconds"),
          )
          const done = runs.filter((r) => r.state === "succeeded")
          assert.strictEqual(done.at(-1)?.kind, "backfill", "the first scheduled pull was the backfill")
          assert.strictEqual(done[0]?.kind, "incremental")
          const span = (r: (typeof runs)[number]) => [
            DateTime.toEpochMillis(r.startedAt),
            DateTime.toEpochMillis(r.finishedAt ?? r.startedAt),
          ]
          const overlapping = done.some((a) =>
            done.some((b) => a !== b && (span(a)[0] ?? 0) < (span(b)[1] ?? 0) && (span(b)[0] ?? 0) < (span(a)[1] ?? 0)),
          )
          assert.isFalse(overlapping, "no two pulls of the connection overlapped")
        }).pipe(Effect.provide(durable), Effect.orDie),
      60_000,
    )

    it.live(
      "pulls through a durable workflow and pushes through the connection's lane; waking it again sends nothing again",
      () =>
        Effect.gen(function* () {
          const target = yield* setup()
          yield* Runtime.run(PullConnection, { connectionId: target.connection.id, tick: 1 })
          const id = recordIds()[6] ?? ""
          const { task, queued } = yield* assign(target, id)
          const outboxId = queued[0]?.id ?? ""
          const seq = candid.control.requests.nextSeq()
          const outbox = yield* OutboxRepository
          const idle = PushLanes.status(target.connection.id).pipe(
            Effect.map((lane) => !lane.ready.includes(task.id) && !lane.inFlight.includes(task.id)),
          )
          const settled = Effect.andThen(
            Effect.map(outbox.unfinished(target.connection.id, [task.id]), (rows) => rows.length === 0),
            (sent) => (sent ? idle : Effect.succeed(false)),
          ).pipe(
            Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: (done) => done }),
            Effect.timeout("30 seconds"),
          )
          yield* PushLanes.wake(target.connection.id, [task.id], "change")
          yield* settled
          yield* PushLanes.wake(target.connection.id, [task.id], "change")
          yield* PushLanes.wake(target.connection.id, [task.id], "sweep")
          yield* settled
          assert.deepStrictEqual(
            patches(seq).map((r) => r.status),
            [200],
          )
          const sent = yield* outbox.list(task.organizationId, { state: "sent", limit: 10 })
          assert.deepStrictEqual(
            sent.map((e) => e.id),
            [outboxId],
          )
        }).pipe(Effect.provide(durable), Effect.orDie),
      60_000,
    )

    it.live(
      "a lane backs a failing push off and sends it once the vendor recovers, on its own (no sweep, no new change)",
      () =>
        Effect.gen(function* () {
          const target = yield* setup()
          yield* Runtime.run(PullConnection, { connectionId: target.connection.id, tick: 2 })
          const { task } = yield* assign(target, recordIds()[7] ?? "")
          const seq = candid.control.requests.nextSeq()
          candid.control.faults.add({ kind: "error5xx", count: 2, status: 503, method: "PATCH" })
          yield* PushLanes.wake(target.connection.id, [task.id], "change")
          // Between the failures the lane shows the task backing off, and nothing else holds it.
          const backingOff = yield* PushLanes.status(target.connection.id).pipe(
            Effect.repeat({
              schedule: Schedule.spaced("10 millis"),
              until: (lane) => lane.backingOff.includes(task.id),
            }),
            Effect.timeout("20 seconds"),
          )
          assert.deepStrictEqual(backingOff.parked, [])
          const outbox = yield* OutboxRepository
          yield* outbox
            .unfinished(target.connection.id, [task.id])
            .pipe(
              Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: (rows) => rows.length === 0 }),
              Effect.timeout("30 seconds"),
            )
          assert.deepStrictEqual(
            patches(seq).map((r) => r.status),
            [503, 503, 200],
          )
          const lane = yield* PushLanes.status(target.connection.id)
          assert.deepStrictEqual([lane.ready, lane.inFlight, lane.backingOff], [[], [], []])
        }).pipe(Effect.provide(durable), Effect.orDie),
      60_000,
    )

    it.live(
      "a lane parks a task held behind a conflict: the sweep's wakes leave it, a new change looks at it again",
      () =>
        Effect.gen(function* () {
          const target = yield* setup()
          yield* pullAll(target)
          // A task still open at Candid (a closed one refuses the edit), edited on both sides: the pull made it a
          // conflict, so its queued change is held.
          const open = yield* Effect.filter(recordIds().slice(10), (id) =>
            Effect.map(taskOf(target, id), (t) => t.status === "open" || t.status === "in_progress"),
          )
          const id = open[0] ?? ""
          const { task } = yield* statusEditedOnBothSides(target, id)
          const seq = candid.control.requests.nextSeq()
          // The task's own reads (the look before writing); the pull schedule's listings run beside them.
          const reads = () => requestsFrom(seq).filter((r) => r.method === "GET" && r.path.includes(id)).length
          yield* PushLanes.wake(target.connection.id, [task.id], "change")
          const parked = yield* PushLanes.status(target.connection.id).pipe(
            Effect.repeat({ schedule: Schedule.spaced("20 millis"), until: (lane) => lane.parked.includes(task.id) }),
            Effect.timeout("20 seconds"),
          )
          assert.deepStrictEqual([parked.ready, parked.inFlight], [[], []])
          const looked = reads()
          assert.isAbove(looked, 0, "the look before writing read the task")
          assert.deepStrictEqual(patches(seq), [], "held: nothing written")
          // A sweep's wake is ignored while the task is parked: no read, no write.
          yield* PushLanes.wake(target.connection.id, [task.id], "sweep")
          yield* Effect.sleep("300 millis")
          assert.strictEqual(reads(), looked)
          assert.isTrue((yield* PushLanes.status(target.connection.id)).parked.includes(task.id))
          // A change wake (what a resolution or a new edit sends) makes the lane look at it again.
          yield* PushLanes.wake(target.connection.id, [task.id], "change")
          yield* PushLanes.status(target.connection.id).pipe(
            Effect.repeat({
              schedule: Schedule.spaced("20 millis"),
              until: (lane) => lane.parked.includes(task.id) && reads() > looked,
            }),
            Effect.timeout("20 seconds"),
          )
          assert.deepStrictEqual(patches(seq), [], "still held: the conflict is open")
        }).pipe(Effect.provide(durable), Effect.orDie),
      60_000,
    )
  })

  describe(`sync engine on ${backend.name}`, () => {
    test(
      "a backfill creates one task per vendor record, and replaying its pages changes nothing",
      Effect.gen(function* () {
        const target = yield* setup()
        const pages = yield* Stream.runCollect(target.adapter.listChanges(null))
        for (const page of pages) yield* applyPage(target, page)
        const ids = recordIds()
        const before = yield* Effect.forEach(ids, (id) => taskOf(target, id))
        assert.strictEqual(new Set(before.map((t) => t.id)).size, ids.length)
        const first = before[0]
        if (first === undefined) return yield* Effect.die(new Error("the emulator seeded no task"))
        assert.deepStrictEqual(yield* originsOf(first), ["pull"])
        for (const page of pages) yield* applyPage(target, page)
        const after = yield* Effect.forEach(ids, (id) => taskOf(target, id))
        assert.deepStrictEqual(
          after.map((t) => t.version),
          before.map((t) => t.version),
        )
      }),
    )

    test(
      "the same pages written by two pulls at once land once: each waits for the other's links",
      Effect.gen(function* () {
        const target = yield* setup()
        const pages = yield* Stream.runCollect(target.adapter.listChanges(null))
        // Two processes pulling one connection (a shard that moved mid-pull) write the same new records concurrently.
        yield* Effect.all(
          [
            Effect.forEach(pages, (page) => applyPage(target, page)),
            Effect.forEach(pages, (page) => applyPage(target, page)),
          ],
          { concurrency: 2 },
        )
        const ids = recordIds()
        const tasks = yield* Effect.forEach(ids, (id) => taskOf(target, id))
        assert.strictEqual(new Set(tasks.map((t) => t.id)).size, ids.length, "one task per record")
        for (const task of tasks) assert.deepStrictEqual(yield* originsOf(task), ["pull"], "created once")
      }),
    )

    test(
      "a record read before the version its link holds (a stale read) changes nothing",
      Effect.gen(function* () {
        const target = yield* setup()
        yield* pullAll(target)
        const id = recordIds()[0] ?? ""
        const ref = { id: VendorRecordId.make(id), parent: null }
        const earlier = yield* target.adapter.get(ref)
        candid.control.clock.advance(2_000)
        const moved = earlier.snapshot.vendorStatus === "in_progress" ? "open" : "in_progress"
        yield* Effect.promise(() => vendorEdit(id, { status: moved }))
        yield* pullAll(target)
        const task = yield* taskOf(target, id)
        const link = yield* (yield* LinkRepository).find(target.connection.id, ref.id)
        // A page listed before the edit, written only now (a slow pull, or one that overlapped a push's answer).
        yield* applyRecordNow(target, earlier)
        const after = yield* taskOf(target, id)
        assert.strictEqual(after.version, task.version, "the newer state stands")
        assert.strictEqual(after.status, task.status)
        assert.strictEqual((yield* (yield* LinkRepository).find(target.connection.id, ref.id))?.hash, link?.hash)
      }),
    )

    test(
      "a record sent with a field of the wrong type is quarantined with its rule, the rest of its page lands, and a later good read releases it",
      Effect.gen(function* () {
        const target = yield* setup()
        const organization = target.connection.organizationId
        const quarantine = yield* QuarantineRepository
        // The first list answer has its first task_type turned into a number: one record Candid's schema refuses.
        candid.control.faults.add({ kind: "wrongType", field: "task_type", count: 1, method: "GET" })
        yield* pullAll(target)
        const held = yield* quarantine.list(organization, { limit: 10 })
        assert.strictEqual(held.length, 1)
        const [broken] = held
        if (broken === undefined || broken.recordId === null) return yield* Effect.die(new Error("no id kept"))
        assert.match(broken.reason, /^record 1 of the page: task_type /, "the reason names the field")
        assert.notInclude(broken.reason, "12345", "the reason names the rule, never the value")
        assert.isNotNull(broken.payload, "the record is kept as sent for the operator")
        const ids = recordIds()
        assert.include(ids, broken.recordId)
        const landed = yield* Effect.forEach(
          ids.filter((id) => id !== broken.recordId),
          (id) => taskOf(target, id),
        )
        assert.strictEqual(landed.length, ids.length - 1, "every other record of the page became a task")
        assert.isNull(yield* (yield* TaskRepository).findByRecord(target.connection.id, broken.recordId))
        assert.deepStrictEqual(yield* quarantine.counts(organization), new Map([[target.connection.id, 1]]))

        // Fixed at the vendor (edited, so the next incremental pull reads it again): it becomes a task and leaves.
        candid.control.clock.advance(1_000)
        yield* Effect.promise(() => vendorEdit(broken.recordId ?? "", { status: "in_progress" }))
        yield* pullAll(target)
        assert.strictEqual((yield* taskOf(target, broken.recordId)).status, "in_progress")
        assert.deepStrictEqual(yield* quarantine.list(organization, { limit: 10 }), [])
      }),
    )

    test(
      "a record listed twice in one page becomes one task holding its later copy",
      Effect.gen(function* () {
        const target = yield* setup()
        const [first] = yield* Stream.runCollect(Stream.take(target.adapter.listChanges(null), 1))
        const record = first?.records.find((r) => r.snapshot.fields.status !== "done")
        if (first === undefined || record === undefined) return yield* Effect.die(new Error("no open Candid task"))
        const later = VendorRecord.make({
          ...record,
          version: `${record.version}+later`,
          snapshot: { ...record.snapshot, fields: { ...record.snapshot.fields, status: "done" } },
        })
        yield* applyPage(target, { ...first, records: [record, ...first.records.filter((r) => r !== record), later] })
        const task = yield* taskOf(target, record.id)
        assert.strictEqual(task.status, "done")
        assert.deepStrictEqual(yield* originsOf(task), ["pull"], "created once, from the later copy")
        const link = yield* (yield* LinkRepository).find(target.connection.id, record.id)
        assert.strictEqual(link?.base?.version, later.version)
      }),
    )

    test(
      "the first pull is a backfill with its progress recorded; the next is incremental and finds nothing new",
      Effect.gen(function* () {
        const target = yield* setup()
        const engine = yield* SyncEngine
        const [backfill, incremental] = yield* Effect.all(
          [engine.pull(target.connection.id), engine.pull(target.connection.id)],
          { concurrency: "unbounded" },
        )
        assert.strictEqual(backfill.kind, "backfill")
        assert.strictEqual(backfill.state, "succeeded")
        assert.strictEqual(backfill.records, recordIds().length)
        assert.isAtLeast(backfill.pages, 1)
        assert.strictEqual(incremental.kind, "incremental", "the second pull waited for the first to finish")
        assert.strictEqual(incremental.records, 0)
        const runs = yield* (yield* SyncRunRepository).list(target.connection.id, 10)
        assert.deepStrictEqual(
          runs.map((r) => r.kind),
          ["incremental", "backfill"],
        )
      }),
    )

    test(
      "a local edit reaches Candid as exactly one PATCH and the next pull does not echo it",
      Effect.gen(function* () {
        const target = yield* setup()
        yield* pullAll(target)
        const id = recordIds()[0] ?? ""
        const seq = candid.control.requests.nextSeq()
        const { task, queued } = yield* assign(target, id)
        assert.strictEqual(queued.length, 1)
        yield* drain(target, target.connection.id, task.id)
        assert.deepStrictEqual(
          patches(seq).map((r) => r.body),
          [{ assignee_user_id: user }],
        )
        const pushed = yield* taskOf(target, id)
        yield* pullAll(target)
        const pulled = yield* taskOf(target, id)
        assert.strictEqual(pulled.version, pushed.version, "the pull found nothing new")
        assert.deepStrictEqual(yield* originsOf(task), ["pull", "api"])
      }),
    )

    test(
      "a local create reaches Candid once, and a create whose answer was lost is found and linked, not repeated",
      Effect.gen(function* () {
        const target = yield* setup()
        const organizations = yield* Effect.promise(() =>
          fetch(`${candid.url}/_sandbox/organizations`).then(
            (r) => r.json() as Promise<{ organizations: Array<{ sampleEncounterIds: Array<string> }> }>,
          ),
        )
        const encounter = organizations.organizations[0]?.sampleEncounterIds[0] ?? ""
        const create = (description: string) =>
          createTask({
            organizationId: target.connection.organizationId,
            fields: {
              title: Title.make("Claim follow-up"),
              description,
              status: "open",
              priority: "none",
              due: Due.cases.None.make({}),
              assignees: [],
              tags: [],
            },
            subjects: { encounter: { id: encounter } },
            connectionId: target.connection.id,
            extension: {
              _tag: "candid",
              taskType: "CLAIM_FOLLOW_UP",
              category: "other",
              blocksClaimSubmission: false,
              dateOfService: PlainDate.make("2026-11-01"),
              encounterId: encounter,
              externalId: "",
              patientExternalId: "",
              payerName: null,
              payerId: null,
            },
            actor: "tester",
          })
        const creates = (seq: number) =>
          requestsFrom(seq).filter((r) => r.method === "POST" && r.path.startsWith("/api/tasks/v3"))
        const linkOf = (id: TaskId) =>
          Effect.gen(function* () {
            const task = yield* (yield* TaskRepository).get(target.connection.organizationId, id)
            return task.links.map((l) => l.recordId)
          })

        const plain = yield* create("Call the payer about claim 881")
        const seq = candid.control.requests.nextSeq()
        yield* drain(target, target.connection.id, plain.task.id)
        assert.strictEqual(creates(seq).length, 1)
        assert.strictEqual((yield* linkOf(plain.task.id)).length, 1)

        // An earlier attempt sent the create and Candid made the task, but the answer never came back.
        const lost = yield* create("Call the payer about claim 882")
        const entry = lost.queued[0]
        if (entry === undefined || entry.payload.operation !== "create")
          return yield* Effect.die(new Error("no create queued"))
        yield* (yield* OutboxRepository).claim(entry.id)
        const landed = yield* target.adapter.create(entry.payload.draft)
        const again = candid.control.requests.nextSeq()
        yield* drain(target, target.connection.id, lost.task.id)
        assert.deepStrictEqual(creates(again), [], "not created twice")
        assert.deepStrictEqual(yield* linkOf(lost.task.id), [landed.id])
      }),
    )

    test(
      "a vendor-side edit appears locally with its history",
      Effect.gen(function* () {
        const target = yield* setup()
        yield* pullAll(target)
        const id = recordIds()[1] ?? ""
        candid.control.clock.advance(1_000)
        const before = yield* taskOf(target, id)
        const next = before.status === "in_progress" ? "blocked" : "in_progress"
        yield* Effect.promise(() => vendorEdit(id, { status: next }))
        yield* pullAll(target)
        const after = yield* taskOf(target, id)
        assert.strictEqual(after.links[0]?.vendorStatus, next)
        const history = yield* (yield* HistoryRepository).list(after.organizationId, after.id)
        assert.deepStrictEqual(
          history.at(-1)?.changes.map((c) => c.field),
          ["status"],
        )
        assert.strictEqual(history.at(-1)?.origin, "pull")
      }),
    )

    test(
      "edits to different fields on both sides are both kept",
      Effect.gen(function* () {
        const target = yield* setup()
        yield* pullAll(target)
        const id = recordIds()[2] ?? ""
        const { task } = yield* assign(target, id)
        candid.control.clock.advance(1_000)
        yield* Effect.promise(() => vendorEdit(id, { status: "blocked" }))
        yield* pullAll(target)
        const merged = yield* taskOf(target, id)
        assert.strictEqual(merged.status, "waiting")
        assert.deepStrictEqual(
          merged.assignees.map((a) => (a._tag === "User" ? a.id : "")),
          [user],
        )
        assert.deepStrictEqual(yield* (yield* ConflictRepository).open(task.organizationId), [])
        yield* drain(target, target.connection.id, task.id)
        const vendor = yield* target.adapter.get({ id: VendorRecordId.make(id), parent: null })
        assert.strictEqual(vendor.snapshot.vendorStatus, "blocked")
        assert.deepStrictEqual(
          vendor.snapshot.fields.assignees.map((a) => (a._tag === "User" ? a.id : "")),
          [user],
        )
      }),
    )

    test(
      "a vendor edit made between our look and our PATCH, which the answer carries, is merged and not lost",
      Effect.gen(function* () {
        const target = yield* setup()
        const id = recordIds()[5] ?? ""
        yield* pullAll(target)
        const before = yield* taskOf(target, id)
        const status = before.status === "waiting" ? "in_progress" : "waiting"
        const { task } = yield* editHere(before, { status })
        // The look (a GET) is answered at once; the PATCH waits 800 ms at the vendor, and a Candid user reassigns
        // the task meanwhile, so the PATCH's answer holds both our status and their assignee.
        candid.control.faults.add({ kind: "latency", method: "PATCH", latencyMs: 800, count: 1 })
        const pushing = yield* Effect.forkChild(drain(target, target.connection.id, task.id))
        yield* Effect.sleep("300 millis")
        candid.control.activity.step(1, { id, kinds: ["assign"] })
        yield* Fiber.join(pushing)
        const vendor = yield* target.adapter.get({ id: VendorRecordId.make(id), parent: null })
        assert.notDeepEqual(vendor.snapshot.fields.assignees, before.assignees, "the vendor's edit happened")
        const after = yield* taskOf(target, id)
        assert.strictEqual(after.status, status)
        assert.deepStrictEqual(after.assignees, vendor.snapshot.fields.assignees, "their edit reached the task")
        assert.include(yield* originsOf(after), "pull", "with its history")
      }),
    )

    test(
      "edits to the same field become a conflict that keeps the local value, under the manual policy",
      Effect.gen(function* () {
        const target = yield* setup()
        const id = recordIds()[3] ?? ""
        const { task, local } = yield* statusEditedOnBothSides(target, id)
        const conflicts = yield* (yield* ConflictRepository).open(task.organizationId)
        assert.deepStrictEqual(
          conflicts.map((c) => [c.field, c.local, c.remote]),
          [["status", local, "in_progress"]],
        )
        assert.strictEqual((yield* taskOf(target, id)).status, local)
      }),
    )

    test(
      "resolving a conflict in favour of the local value closes it and pushes that value to Candid",
      Effect.gen(function* () {
        const target = yield* setup()
        const id = recordIds()[3] ?? ""
        const { task, local } = yield* statusEditedOnBothSides(target, id)
        const [conflict] = yield* (yield* ConflictRepository).open(task.organizationId)
        assert.isDefined(conflict)
        const resolution = {
          organizationId: task.organizationId,
          conflictId: conflict?.id ?? "",
          value: local,
          actor: "ops",
        }
        yield* resolveConflict(resolution)
        assert.deepStrictEqual(yield* (yield* ConflictRepository).open(task.organizationId), [])
        const history = yield* (yield* HistoryRepository).list(task.organizationId, task.id)
        assert.strictEqual(history.at(-1)?.origin, "conflict-resolution")
        yield* drain(target, target.connection.id, task.id)
        const vendor = yield* target.adapter.get({ id: VendorRecordId.make(id), parent: null })
        assert.strictEqual(vendor.snapshot.fields.status, local)
      }),
    )

    test(
      "edits to the same field follow a remote-wins policy without a conflict",
      Effect.gen(function* () {
        const target = yield* setup({ mergePolicy: { status: "remote-wins" } })
        const id = recordIds()[3] ?? ""
        const { task } = yield* statusEditedOnBothSides(target, id)
        assert.deepStrictEqual(yield* (yield* ConflictRepository).open(task.organizationId), [])
        assert.strictEqual((yield* taskOf(target, id)).status, "in_progress")
      }),
    )

    test(
      "a push that meets 503s is retried with backoff and lands exactly once",
      Effect.gen(function* () {
        const target = yield* setup()
        const { task } = yield* queuedAssignment(target, recordIds()[4] ?? "")
        const seq = candid.control.requests.nextSeq()
        candid.control.faults.add({ kind: "error5xx", count: 2, status: 503, method: "PATCH" })
        yield* drain(target, target.connection.id, task.id).pipe(Effect.retry(vendorRetry({ base: "20 millis" })))
        assert.deepStrictEqual(
          patches(seq).map((r) => r.status),
          [503, 503, 200],
        )
        const sent = yield* (yield* OutboxRepository).list(task.organizationId, { state: "sent", limit: 10 })
        assert.strictEqual(sent.length, 1)
      }),
    )

    test(
      "a push answered 429 waits the Retry-After and lands exactly once",
      Effect.gen(function* () {
        const target = yield* setup()
        const { task } = yield* queuedAssignment(target, recordIds()[4] ?? "")
        const seq = candid.control.requests.nextSeq()
        candid.control.faults.add({ kind: "rateLimit", count: 1, retryAfterSeconds: 1, method: "PATCH" })
        const started = Date.now()
        yield* drain(target, target.connection.id, task.id).pipe(Effect.retry(vendorRetry()))
        assert.isAtLeast(Date.now() - started, 1000)
        assert.deepStrictEqual(
          patches(seq).map((r) => r.status),
          [429, 200],
        )
      }),
    )

    test(
      "our own write read by a pull before its answer was stored is its echo: a newer local edit stays, no conflict",
      Effect.gen(function* () {
        const target = yield* setup()
        yield* pullAll(target)
        const id = recordIds()[9] ?? ""
        const { task, queued } = yield* assign(target, id)
        const entry = queued[0]
        assert.isDefined(entry)
        // The push of that assignment is under way (claimed) and Candid already holds it, as a vendor that tells of a
        // write before it answers it does; the answer has not been stored as the new merge base yet.
        yield* (yield* OutboxRepository).claim(entry?.id ?? "")
        yield* Effect.promise(() => vendorEdit(id, { assignee_user_id: user }))
        // Meanwhile the same field is edited again here.
        const other = "0b7e4d21-5a3c-4f6e-8d9a-1c2b3a4d5e6f"
        yield* editHere(yield* taskOf(target, id), {
          assignees: [Assignee.cases.User.make({ id: UserId.make(other) })],
        })
        yield* pullAll(target)
        assert.deepStrictEqual(
          yield* (yield* ConflictRepository).open(task.organizationId),
          [],
          "the vendor showing our own value is no edit of its own",
        )
        const after = yield* taskOf(target, id)
        assert.deepStrictEqual(
          after.assignees.map((a) => (a._tag === "User" ? a.id : "")),
          [other],
        )
        // And the newer edit reaches Candid.
        yield* drain(target, target.connection.id, task.id)
        const vendor = yield* target.adapter.get({ id: VendorRecordId.make(id), parent: null })
        assert.deepStrictEqual(
          vendor.snapshot.fields.assignees.map((a) => (a._tag === "User" ? a.id : "")),
          [other],
        )
      }),
    )

    test(
      "a push retried after its change already reached Candid reconciles instead of sending it again",
      Effect.gen(function* () {
        const target = yield* setup()
        yield* pullAll(target)
        const id = recordIds()[7] ?? ""
        const { task, queued } = yield* assign(target, id)
        const entry = queued[0]
        assert.isDefined(entry)
        // An earlier attempt claimed the row and its PATCH landed, but the process died before recording the answer.
        yield* (yield* OutboxRepository).claim(entry?.id ?? "")
        yield* Effect.promise(() => vendorEdit(id, { assignee_user_id: user }))
        const seq = candid.control.requests.nextSeq()
        yield* drain(target, target.connection.id, task.id)
        assert.deepStrictEqual(patches(seq), [], "no second PATCH")
        assert.deepStrictEqual(
          requestsFrom(seq).map((r) => r.method),
          ["GET"],
          "one read to reconcile",
        )
        const sent = yield* (yield* OutboxRepository).list(task.organizationId, { state: "sent", limit: 10 })
        assert.deepStrictEqual(
          sent.map((e) => e.id),
          [entry?.id],
        )
      }),
    )

    test(
      "a push retried after its change landed and a vendor user then changed the same field is held as a conflict, not written again",
      Effect.gen(function* () {
        const target = yield* setup()
        yield* pullAll(target)
        const id = recordIds()[8] ?? ""
        const { task, queued } = yield* assign(target, id)
        const entry = queued[0]
        assert.isDefined(entry)
        // An earlier attempt claimed the row and its PATCH landed (our assignee at Candid), but its answer was lost.
        yield* (yield* OutboxRepository).claim(entry?.id ?? "")
        yield* Effect.promise(() => vendorEdit(id, { assignee_user_id: user }))
        // Then a Candid user reassigns the task to someone else: the same field, after our write.
        candid.control.clock.advance(1_000)
        const other = org0().users.find((u) => u.id !== user)?.id ?? ""
        yield* Effect.promise(() => vendorEdit(id, { assignee_user_id: other }))
        const seq = candid.control.requests.nextSeq()
        yield* drain(target, target.connection.id, task.id)
        assert.deepStrictEqual(patches(seq), [], "their assignee is not overwritten")
        const conflicts = yield* (yield* ConflictRepository).open(task.organizationId)
        assert.deepStrictEqual(
          conflicts.filter((c) => c.taskId === task.id).map((c) => c.field),
          ["assignees"],
          "the overlap is shown",
        )
        const pending = yield* (yield* OutboxRepository).list(task.organizationId, { state: "pending", limit: 10 })
        assert.include(
          pending.map((e) => e.id),
          entry?.id,
          "the change waits for the conflict",
        )
      }),
    )

    test(
      "a permanent rejection is dead-lettered with the vendor's error and not retried",
      Effect.gen(function* () {
        const target = yield* setup()
        yield* pullAll(target)
        yield* Effect.promise(() =>
          fetch(`${candid.url}/_sandbox/organizations/${org0().organizationId}`, {
            method: "PATCH",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ deprecatedStatuses: ["waiting_for_review"] }),
          }),
        )
        const id = recordIds()[5] ?? ""
        const task = yield* taskOf(target, id)
        const seq = candid.control.requests.nextSeq()
        const patch = { vendorStatus: { connectionId: target.connection.id, name: "waiting_for_review" } }
        yield* editHere(task, patch)
        yield* drain(target, target.connection.id, task.id).pipe(Effect.retry(vendorRetry({ base: "20 millis" })))
        assert.strictEqual(patches(seq).length, 1)
        const dead = yield* (yield* OutboxRepository).list(task.organizationId, { state: "dead", limit: 10 })
        assert.strictEqual(dead.length, 1)
        assert.include(dead[0]?.lastError ?? "", "deprecated")
        // Retrying runs the push again; the adapter has learned the status is deprecated, so it is refused locally
        // (no second PATCH) and dead again. Discarding then takes it out of the dead-letter list for good.
        const engine = yield* SyncEngine
        const letter = dead[0]?.id ?? ""
        const foreign = yield* Effect.flip(engine.retry(OrganizationId.make("org-someone-else"), letter))
        assert.strictEqual(foreign._tag, "DeadLetterNotFound", "another organization's dead letter is not found")
        yield* engine.retry(task.organizationId, letter)
        assert.strictEqual(patches(seq).length, 1)
        const again = yield* (yield* OutboxRepository).list(task.organizationId, { state: "dead", limit: 10 })
        assert.include(again[0]?.lastError ?? "", "deprecated for writes")
        yield* engine.discard(task.organizationId, letter)
        assert.deepStrictEqual(
          yield* (yield* OutboxRepository).list(task.organizationId, { state: "dead", limit: 10 }),
          [],
        )
        const discarded = yield* (yield* OutboxRepository).list(task.organizationId, { state: "discarded", limit: 10 })
        assert.deepStrictEqual(
          discarded.map((e) => e.id),
          [letter],
        )
      }),
    )
  })
}
