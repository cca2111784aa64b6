// The one pipeline against an in-memory vendor (the testkit's fake behind a real vendor definition), on PGlite and
// PostgreSQL: a page costs the same number of statements whatever its size; deletions the vendor reports and those a
// complete listing sweeps become tombstones with history (a pending local edit becomes a `deleted` conflict); a
// listing that would delete too much is held until an operator decides; a record listed again comes back; a record
// the vendor closed meanwhile is followed, its change discarded with the reason; and a changed setting rebuilds the
// connection's adapter.
import { assert, describe, it } from "@effect/vitest"
import { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { type FakeOptions, type FakeVendor, makeFakeVendor } from "@taskbridge/adapter-testkit/Fake"
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { TaskQuery } from "@taskbridge/db/TaskQuery"
import { Views } from "@taskbridge/db/Views"
import { Terminal, Transient } from "@taskbridge/domain/Errors"
import { ConnectionId, LinkId, OrganizationId, VendorRecordId } from "@taskbridge/domain/Ids"
import type { TaskPatch } from "@taskbridge/domain/Patch"
import {
  ConflictRepository,
  HeldDeletionRepository,
  HistoryRepository,
  LinkRepository,
  OutboxRepository,
  SyncRunRepository,
  TaskRepository,
} from "@taskbridge/domain/ports/Repositories"
import { VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import type { Task } from "@taskbridge/domain/Task"
import { Cause, DateTime, Effect, Exit, Fiber, Layer, Redacted, Schedule, Tracer } from "effect"
import { FetchHttpClient } from "effect/http"
import { SqlClient } from "effect/sql/SqlClient"
import { SyncEngine } from "../src/Engine.ts"
import { encoded } from "../src/Hash.ts"
import { applyBatch } from "../src/Pull.ts"
import { type Answer, settleTogether } from "../src/Push.ts"
import * as Registry from "../src/Registry.ts"
import { backends, repositories } from "./support/backends.ts"

/** The engine on a fresh database of `backend`, with `fake` as its only vendor. */
const stack = (backend: (typeof backends)[number], fake: FakeVendor) =>
  Layer.provideMerge(SyncEngine.layer, Registry.layer).pipe(
    Layer.provideMerge(Layer.unwrap(Effect.map(backend.fresh, (db) => repositories(db, new Uint8Array(32).fill(9))))),
    Layer.provideMerge(
      Layer.mergeAll(FetchHttpClient.layer, RateBudgets.layer, Registry.VendorDefinitions.layer([fake.definition])),
    ),
  )

const connectionFor = (options: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const org = yield* (yield* OrganizationRepository).create({ id: OrganizationId.make("org-fake"), name: "Fake" })
    return yield* (yield* ConnectionRepository).create({
      id: ConnectionId.make("conn-fake"),
      organizationId: org.id,
      vendor: "vambe",
      name: "Fake vendor",
      baseUrl: "https://fake.example.test",
      credentials: Redacted.make(JSON.stringify({ apiKey: "k" })),
      statusScheme: null,
      identityMap: [],
      options: options as Record<string, never>,
      enabled: true,
    })
  })

/** A connection to the fake, backfilled, and the engine. */
const backfilled = (options: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const connection = yield* connectionFor(options)
    const engine = yield* SyncEngine
    yield* engine.pull(connection.id)
    return { connection, engine }
  })

/** An operator's edit of `task` through the engine, at the version it was read at. */
const editHere = (task: Task, patch: TaskPatch) =>
  SyncEngine.use((engine) =>
    engine.update({
      organizationId: task.organizationId,
      id: task.id,
      expectedVersion: task.version,
      patch,
      actor: "ana",
      origin: "api",
    }),
  )

const taskOf = (connection: ConnectionId, record: string) =>
  Effect.gen(function* () {
    const task = yield* (yield* TaskRepository).findByRecord(connection, VendorRecordId.make(record))
    if (task === null) return yield* Effect.die(new Error(`no task for ${record}`))
    return task
  })

/** Counts the SQL statements `effect` runs (each statement's span carries its query text). */
const countStatements = <A, E, R>(effect: Effect.Effect<A, E, R>) => {
  let statements = 0
  const tracer = Tracer.make({
    span: (options) => {
      const span = new Tracer.NativeSpan(options)
      const attribute = span.attribute.bind(span)
      span.attribute = (key, value) => {
        if (key === "db.query.text") statements++
        attribute(key, value)
      }
      return span
    },
  })
  return Effect.map(Effect.withTracer(effect, tracer), (value) => ({ value, statements: () => statements }))
}

for (const backend of backends) {
  const run = (name: string, options: FakeOptions, body: (fake: FakeVendor) => Effect.Effect<void, unknown, never>) =>
    it.live(name, () => body(makeFakeVendor(options)), 60_000)
  const within =
    (fake: FakeVendor) =>
    <A, E>(effect: Effect.Effect<A, E, Layer.Success<ReturnType<typeof stack>>>) =>
      effect.pipe(Effect.provide(stack(backend, fake)), Effect.orDie)

  describe(`the pipeline on ${backend.name}`, () => {
    run("merges a page in a constant number of statements, whatever its size", { size: 120, pageSize: 200 }, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection, engine } = yield* backfilled()
          const costOf = (ids: ReadonlyArray<number>) =>
            Effect.gen(function* () {
              for (const i of ids) fake.vendorSide.edit(`r-${i}`, { title: `Edited ${i} at ${Math.random()}` })
              const counted = yield* countStatements(engine.pull(connection.id))
              assert.strictEqual(counted.value.records, ids.length)
              return counted.statements()
            })
          const small = yield* costOf([0, 1, 2, 3, 4])
          const large = yield* costOf(Array.from({ length: 100 }, (_, i) => i + 10))
          assert.strictEqual(large, small, `a 100-record page took ${large} statements, a 5-record page ${small}`)
          assert.isAtMost(small, 24, "one pull: run bookkeeping plus a handful per page")
        }),
      ),
    )

    run("a record that changed in nothing its task holds moves its link, not its task", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection, engine } = yield* backfilled()
          const before = yield* taskOf(connection.id, "r-2")
          // The vendor stamps the record again (a change in nothing we map), and renames another record.
          fake.vendorSide.edit("r-2", {})
          fake.vendorSide.edit("r-3", { title: "Renamed there" })
          const pulled = yield* engine.pull(connection.id)
          assert.strictEqual(pulled.records, 2)
          const after = yield* taskOf(connection.id, "r-2")
          assert.strictEqual(after.version, before.version, "an unchanged task keeps its version")
          assert.isTrue(DateTime.Equivalence(after.updatedAt, before.updatedAt), "and its updatedAt")
          const link = yield* (yield* LinkRepository).find(connection.id, VendorRecordId.make("r-2"))
          assert.strictEqual(link?.base?.version, fake.records.get("r-2")?.version.toString(), "the link moved")
          const renamed = yield* taskOf(connection.id, "r-3")
          assert.strictEqual(renamed.title, "Renamed there")
          assert.strictEqual(renamed.version, before.version + 1, "a changed task is written")
          // The same record pulled again is the same content: nothing at all is written.
          const again = yield* engine.pull(connection.id)
          assert.strictEqual(again.records, 0)
          // A record whose vendor status name alone changed (the same category): the API shows the link's status
          // name, so the task's version moves for it.
          const adapter = yield* (yield* VendorAdapters).forConnection(connection.id)
          const listed = yield* adapter.get({ id: VendorRecordId.make("r-2"), parent: null })
          const renamed2 = { ...listed, snapshot: { ...listed.snapshot, vendorStatus: "todo-renamed" } }
          yield* applyBatch(
            { connection, adapter },
            { records: [renamed2], deleted: [], sweep: null, checkpoint: null },
          )
          const shown = yield* taskOf(connection.id, "r-2")
          assert.strictEqual(shown.version, before.version + 1, "a new vendor status name is a new version")
          assert.strictEqual(shown.links[0]?.vendorStatus, "todo-renamed")
          assert.strictEqual(shown.status, before.status)
        }),
      ),
    )

    run("a deletion the vendor reports tombstones its task, which stays readable with its history", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection, engine } = yield* backfilled()
          fake.vendorSide.remove("r-3")
          yield* engine.pull(connection.id)
          const task = yield* taskOf(connection.id, "r-3")
          assert.isNotNull(task.deletedAt)
          assert.isNotNull(task.links[0]?.deletedAt)
          const history = yield* (yield* HistoryRepository).list(task.organizationId, task.id)
          assert.deepStrictEqual(history.at(-1)?.changes, [{ field: "deleted", before: false, after: true }])
          const query = yield* TaskQuery
          const live = yield* query.list({ organizationId: task.organizationId, filter: {}, limit: 100 })
          assert.isFalse(
            live.items.some((t) => t.id === task.id),
            "the inbox leaves tombstones out",
          )
          const gone = yield* query.list({ organizationId: task.organizationId, filter: { deleted: "only" }, limit: 9 })
          assert.deepStrictEqual(
            gone.items.map((t) => t.id),
            [task.id],
          )
          const edit = { organizationId: task.organizationId, id: task.id, expectedVersion: task.version }
          const refused = yield* Effect.flip(
            engine.update({ ...edit, patch: { title: "x" }, actor: "a", origin: "api" }),
          )
          assert.strictEqual(refused._tag === "PatchRejected" && refused.violations[0].rule, "deleted-at-vendor")
          const restored = yield* engine.restore({ ...edit, actor: "ana" })
          assert.isNull(restored.deletedAt)
          const after = yield* (yield* HistoryRepository).list(task.organizationId, task.id)
          assert.deepStrictEqual(after.at(-1)?.changes, [{ field: "deleted", before: true, after: false }])
        }),
      ),
    )

    run("a local edit waiting for a record the vendor deleted becomes a conflict, not a silent loss", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection, engine } = yield* backfilled()
          const task = yield* taskOf(connection.id, "r-4")
          yield* editHere(task, { title: "Renamed here" })
          fake.vendorSide.remove("r-4")
          yield* engine.pull(connection.id)
          const [conflict] = yield* (yield* ConflictRepository).open(task.organizationId, task.id)
          assert.deepInclude(conflict, { field: "deleted", base: false, remote: true })
          assert.deepStrictEqual(conflict?.local, { unsent: ["title"] })
          // The change is held: nothing reaches the vendor while the deletion is undecided.
          yield* engine.push(connection.id, task.id)
          assert.isFalse(fake.calls.some((c) => c.operation === "update"))
          // Keeping it here restores the task locally and discards what can no longer be sent.
          yield* engine.resolve({
            organizationId: task.organizationId,
            conflictId: conflict?.id ?? "",
            value: false,
            actor: "ana",
          })
          const kept = yield* (yield* TaskRepository).get(task.organizationId, task.id)
          assert.deepStrictEqual([kept.deletedAt, kept.title], [null, "Renamed here"])
          const discarded = yield* (yield* OutboxRepository).list(task.organizationId, { state: "discarded", limit: 5 })
          assert.include(discarded[0]?.lastError ?? "", "kept the work item here")
        }),
      ),
    )

    run(
      "a complete listing's sweep tombstones what it no longer holds, and a record listed again comes back",
      { deletions: "sweep", size: 20 },
      (fake) =>
        within(fake)(
          Effect.gen(function* () {
            const { connection, engine } = yield* backfilled()
            fake.vendorSide.remove("r-7")
            yield* engine.pull(connection.id)
            assert.isNotNull((yield* taskOf(connection.id, "r-7")).deletedAt)
            assert.isNull((yield* taskOf(connection.id, "r-8")).deletedAt, "the others stay")
            fake.vendorSide.restore("r-7")
            yield* engine.pull(connection.id)
            const back = yield* taskOf(connection.id, "r-7")
            assert.deepStrictEqual([back.deletedAt, back.links[0]?.deletedAt], [null, null])
          }),
        ),
    )

    run(
      "an empty listing is held for an operator instead of wiping the connection; confirming applies it",
      { deletions: "sweep", size: 10 },
      (fake) =>
        within(fake)(
          Effect.gen(function* () {
            const { connection, engine } = yield* backfilled()
            fake.vendorSide.hideAll()
            yield* engine.pull(connection.id)
            assert.isNull((yield* taskOf(connection.id, "r-1")).deletedAt, "nothing deleted yet")
            const [health] = yield* (yield* Views).health(connection.organizationId)
            assert.deepInclude(health?.heldDeletion, { records: 10, live: 10 })
            const held = yield* (yield* HeldDeletionRepository).held(connection.organizationId)
            const decided = yield* engine.decideDeletion({
              organizationId: connection.organizationId,
              id: held[0]?.id ?? "",
              confirm: true,
              actor: "ana",
            })
            assert.strictEqual(decided.state, "confirmed")
            assert.isNotNull((yield* taskOf(connection.id, "r-1")).deletedAt)
            const [after] = yield* (yield* Views).health(connection.organizationId)
            assert.isNull(after?.heldDeletion)
          }),
        ),
    )

    run(
      "a deletion within the allowed share is applied, beyond a connection's own guard it is held",
      { deletions: "sweep", size: 10 },
      (fake) =>
        within(fake)(
          Effect.gen(function* () {
            const { connection, engine } = yield* backfilled({ deletionGuard: 0.05 })
            fake.vendorSide.remove("r-2")
            yield* engine.pull(connection.id)
            assert.isNull((yield* taskOf(connection.id, "r-2")).deletedAt, "1 of 10 is over a 5% guard: held")
            const held = yield* (yield* HeldDeletionRepository).held(connection.organizationId)
            assert.deepStrictEqual(held[0]?.records, [VendorRecordId.make("r-2")])
            yield* engine.decideDeletion({
              organizationId: connection.organizationId,
              id: held[0]?.id ?? "",
              confirm: false,
              actor: "ana",
            })
            assert.isNull((yield* taskOf(connection.id, "r-2")).deletedAt, "rejected: kept")
          }),
        ),
    )

    run("a change to a record the vendor closed while it was being sent is followed, not dead-lettered", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection, engine } = yield* backfilled()
          const task = yield* taskOf(connection.id, "r-5")
          yield* editHere(task, { title: "Too late" })
          fake.failNext("update", new Terminal({ detail: "record is closed" }), () =>
            fake.vendorSide.edit("r-5", { status: "closed" }),
          )
          yield* engine.push(connection.id, task.id)
          const after = yield* taskOf(connection.id, "r-5")
          assert.deepStrictEqual([after.status, after.title], ["done", "Record 5"], "the task follows the vendor")
          const discarded = yield* (yield* OutboxRepository).list(task.organizationId, { state: "discarded", limit: 5 })
          assert.include(discarded[0]?.lastError ?? "", "the vendor closed the record (closed)")
          assert.deepStrictEqual(
            yield* (yield* OutboxRepository).list(task.organizationId, { state: "dead", limit: 5 }),
            [],
          )
        }),
      ),
    )

    run(
      "a record read before a push stored the vendor's answer does not undo our edit (a vendor stamping nothing)",
      {},
      (fake) =>
        within(fake)(
          Effect.gen(function* () {
            const { connection, engine } = yield* backfilled()
            const task = yield* taskOf(connection.id, "r-3")
            const adapter = yield* (yield* VendorAdapters).forConnection(connection.id)
            // A listing read the record as it was, stamped by nothing (as Vambe's records are), and waits its turn.
            const listed = yield* adapter.get({ id: VendorRecordId.make("r-3"), parent: null })
            const stale = { ...listed, updatedAt: null }
            const readAt = yield* DateTime.now
            yield* Effect.sleep("5 millis")
            // Meanwhile our edit is pushed and the vendor's answer stored as the merge base.
            yield* editHere(task, { title: "Ours" })
            yield* engine.push(connection.id, task.id)
            const atVendor = yield* adapter.get({ id: VendorRecordId.make("r-3"), parent: null })
            assert.strictEqual(atVendor.snapshot.fields.title, "Ours")
            // The listing's page is applied now: it is older than the base, so it changes nothing.
            yield* applyBatch(
              { connection, adapter },
              { records: [stale], deleted: [], sweep: null, checkpoint: null, readAt },
            )
            const after = yield* taskOf(connection.id, "r-3")
            assert.strictEqual(after.title, "Ours", "the older read did not take our edit back")
            // The next pull agrees with the vendor: no conflict, nothing to push.
            yield* engine.pull(connection.id)
            assert.deepStrictEqual(yield* (yield* ConflictRepository).open(task.organizationId), [])
            assert.strictEqual((yield* taskOf(connection.id, "r-3")).title, "Ours")
          }),
        ),
    )

    const listsAndGets = (fake: FakeVendor, since: number) => {
      const calls = fake.calls.slice(since)
      return {
        lists: calls.filter((c) => c.operation === "list").length,
        gets: calls.filter((c) => c.operation === "get").length,
        updates: calls.filter((c) => c.operation === "update").length,
      }
    }

    run(
      "looking by pull: a backlog of pushes within the window costs no read and no listing",
      { size: 12, lookBeforeWrite: { via: "pull", withinMillis: 60_000 } },
      (fake) =>
        within(fake)(
          Effect.gen(function* () {
            const { connection, engine } = yield* backfilled()
            const since = fake.calls.length
            for (let i = 0; i < 10; i++) {
              const task = yield* taskOf(connection.id, `r-${i}`)
              yield* editHere(task, { title: `Batch ${i}` })
              yield* engine.push(connection.id, task.id)
            }
            assert.deepStrictEqual(listsAndGets(fake, since), { lists: 0, gets: 0, updates: 10 }, "the backfill counts")
          }),
        ),
    )

    run(
      "looking by pull: a push does not wait behind a pull in progress when a recent pull stands",
      { size: 12, lookBeforeWrite: { via: "pull", withinMillis: 60_000 } },
      (fake) =>
        within(fake)(
          Effect.gen(function* () {
            const { connection, engine } = yield* backfilled()
            const task = yield* taskOf(connection.id, "r-2")
            yield* editHere(task, { title: "Sent while a pull hangs" })
            // A scheduled pull starts and hangs at its listing, holding the connection's pull lock.
            const hung = fake.holdNext("list")
            const since = fake.calls.length
            const pulling = yield* Effect.forkChild(engine.pull(connection.id))
            yield* Effect.sync(() => fake.calls.length).pipe(
              Effect.repeat({ schedule: Schedule.spaced("5 millis"), until: (n) => n > since }),
            )
            // The backfill a moment ago stands, so the push goes out without queueing for that lock.
            yield* engine.push(connection.id, task.id).pipe(Effect.timeout("10 seconds"))
            assert.strictEqual(fake.fields("r-2")?.title, "Sent while a pull hangs")
            hung.release()
            yield* Fiber.join(pulling)
          }),
        ),
    )

    run(
      "looking by pull still merges the vendor's edit first: a same-field edit is a conflict, another field is kept",
      { size: 12, lookBeforeWrite: { via: "pull", withinMillis: 0 } },
      (fake) =>
        within(fake)(
          Effect.gen(function* () {
            const { connection, engine } = yield* backfilled()
            const clash = yield* taskOf(connection.id, "r-3")
            const other = yield* taskOf(connection.id, "r-4")
            fake.vendorSide.edit("r-3", { title: "Vendor's title" })
            fake.vendorSide.edit("r-4", { description: "Vendor's description" })
            yield* editHere(clash, { title: "Our title" })
            yield* editHere(other, { title: "Our other title" })
            const since = fake.calls.length
            yield* engine.push(connection.id, clash.id)
            yield* engine.push(connection.id, other.id)
            const counted = listsAndGets(fake, since)
            assert.deepStrictEqual([counted.gets, counted.updates], [0, 1], "no read; the clashing edit is held")
            assert.isAtLeast(counted.lists, 1)
            const open = yield* (yield* ConflictRepository).open(clash.organizationId, clash.id)
            assert.deepStrictEqual(
              open.map((c) => c.field),
              ["title"],
            )
            const kept = yield* taskOf(connection.id, "r-4")
            assert.deepStrictEqual([kept.title, kept.description], ["Our other title", "Vendor's description"])
          }),
        ),
    )

    run(
      "looking by pull: concurrent pushes share the pull they wait for",
      { size: 12, lookBeforeWrite: { via: "pull", withinMillis: 0 } },
      (fake) =>
        within(fake)(
          Effect.gen(function* () {
            const { connection, engine } = yield* backfilled()
            const tasks = yield* Effect.forEach([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], (i) =>
              Effect.flatMap(taskOf(connection.id, `r-${i}`), (task) =>
                Effect.as(editHere(task, { title: `Together ${i}` }), task),
              ),
            )
            const since = fake.calls.length
            yield* Effect.forEach(tasks, (task) => engine.push(connection.id, task.id), { concurrency: "unbounded" })
            const counted = listsAndGets(fake, since)
            assert.deepStrictEqual([counted.gets, counted.updates], [0, 10])
            assert.isBelow(counted.lists, 10, `ten pushes, ${counted.lists} listings`)
          }),
        ),
    )

    run("a change failing transiently for a day becomes a dead letter; a fresh one waits for the retry", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection, engine } = yield* backfilled()
          const outbox = yield* OutboxRepository
          const fresh = yield* taskOf(connection.id, "r-1")
          yield* editHere(fresh, { title: "Fails once" })
          fake.failNext("update", new Transient({ detail: "HTTP 500" }))
          const retried = yield* Effect.flip(engine.push(connection.id, fresh.id))
          assert.strictEqual(retried._tag, "SyncError")
          const pending = yield* outbox.list(fresh.organizationId, { state: "pending", limit: 5 })
          assert.deepStrictEqual(
            pending.map((e) => e.taskId),
            [fresh.id],
          )

          const old = yield* taskOf(connection.id, "r-2")
          yield* editHere(old, { title: "Fails for a day" })
          const sql = yield* SqlClient
          yield* sql`UPDATE outbox SET created_at = now() - interval '25 hours' WHERE task_id = ${old.id}`
          fake.failNext("update", new Transient({ detail: "HTTP 500" }))
          yield* engine.push(connection.id, old.id)
          const dead = yield* outbox.list(old.organizationId, { state: "dead", limit: 5 })
          assert.deepStrictEqual(
            dead.map((e) => e.taskId),
            [old.id],
          )
          assert.include(dead[0]?.lastError ?? "", "gave up after 1 attempts over 24 hours")
        }),
      ),
    )

    run("a pull abandons a run its dead process left running, naming why", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection, engine } = yield* backfilled()
          const runs = yield* SyncRunRepository
          const orphan = yield* runs.start(connection.organizationId, connection.id, "incremental")
          const sql = yield* SqlClient
          yield* sql`UPDATE sync_runs SET heartbeat_at = now() - interval '10 minutes' WHERE id = ${orphan.id}`
          yield* engine.pull(connection.id)
          const after = (yield* runs.list(connection.id, 5)).find((r) => r.id === orphan.id)
          assert.strictEqual(after?.state, "failed")
          assert.include(after?.error ?? "", "interrupted")
        }),
      ),
    )

    run("a backfill its process died in after a page resumes as the backfill, which then succeeds", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection, engine } = yield* backfilled()
          const sql = yield* SqlClient
          // As a kill leaves it: pages and their checkpoint committed, the run never finished.
          yield* sql`UPDATE sync_runs SET state = 'running', finished_at = NULL WHERE connection_id = ${connection.id}`
          const resumed = yield* engine.pull(connection.id)
          assert.deepInclude(resumed, { kind: "backfill", state: "succeeded" })
          const next = yield* engine.pull(connection.id)
          assert.deepInclude(next, { kind: "incremental", state: "succeeded" })
        }),
      ),
    )

    run("an edit of a task linked to two connections queues both pushes in one statement", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection } = yield* backfilled()
          const second = yield* (yield* ConnectionRepository).create({
            ...(yield* (yield* ConnectionRepository).find(connection.id)),
            id: ConnectionId.make("conn-fake-2"),
            name: "Fake vendor, second account",
          })
          const tasks = yield* TaskRepository
          const linked = yield* taskOf(connection.id, "r-1")
          const [first] = linked.links
          if (first === undefined) return yield* Effect.die(new Error("a backfilled task has its link"))
          const extra = { ...first, id: LinkId.make("l-second"), connectionId: second.id }
          yield* tasks.update({ ...linked, links: [...linked.links, extra] }, linked.version)
          const single = yield* taskOf(connection.id, "r-2")
          // Each adapter built once first, so what is counted below is the edit's own statements.
          yield* editHere(yield* taskOf(connection.id, "r-1"), { title: "Warm" })
          yield* editHere(single, { title: "Warm" })
          const one = yield* countStatements(editHere(yield* taskOf(connection.id, "r-2"), { title: "One vendor" }))
          const two = yield* countStatements(editHere(yield* taskOf(connection.id, "r-1"), { title: "Two vendors" }))
          assert.deepStrictEqual(
            two.value.queued.map((q) => q.connectionId),
            [connection.id, second.id],
          )
          assert.strictEqual(one.value.queued.length, 1)
          // The second vendor adds its settings check, not a second outbox statement.
          assert.strictEqual(two.statements(), one.statements() + 1)
        }),
      ),
    )

    run("answers that arrive together are stored in one transaction, each meeting only its own failure", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const { connection } = yield* backfilled()
          const { connection: summary } = yield* (yield* ConnectionRepository).findVersioned(connection.id)
          const adapter = yield* (yield* VendorAdapters).forConnection(connection.id)
          const outbox = yield* OutboxRepository
          const links = yield* LinkRepository
          // Each task edited here and its change sent to the fake, as a push does before it stores the answer.
          const answered = (record: string) =>
            Effect.gen(function* () {
              const edited = yield* editHere(yield* taskOf(connection.id, record), { title: `Sent ${record}` })
              const [queued] = edited.queued
              if (queued === undefined) return yield* Effect.die(new Error("the edit queued no push"))
              const entry = yield* outbox.claim(queued.id)
              const link = yield* links.find(connection.id, VendorRecordId.make(record))
              if (entry === null || link === null) return yield* Effect.die(new Error("no claim or link"))
              if (queued.payload.operation !== "update") return yield* Effect.die(new Error("an edit queues an update"))
              const sent = yield* adapter.update(
                { id: VendorRecordId.make(record), parent: link.parent },
                queued.payload.change,
              )
              return { target: { connection: summary, adapter }, entry, sent: { record: sent, link } } satisfies Answer
            })
          const alone = yield* countStatements(settleTogether([yield* answered("r-1")]))
          const three = [yield* answered("r-2"), yield* answered("r-3"), yield* answered("r-4")]
          const together = yield* countStatements(settleTogether(three))
          for (const exit of [...alone.value, ...together.value]) assert.deepStrictEqual(exit, Exit.succeed(false))
          // The lock, the tasks' locked read and the rows' marking are one statement each for all three; only each
          // task's own write is one per answer.
          assert.strictEqual(together.statements(), alone.statements() + three.length - 1)
          for (const { entry, sent } of three) {
            const link = yield* links.find(connection.id, sent.record.id)
            assert.strictEqual(link?.hash, encoded(sent.record).hash, "the answer is the merge base")
            assert.strictEqual((yield* taskOf(connection.id, sent.record.id)).title, `Sent ${sent.record.id}`)
            assert.isTrue(
              (yield* outbox.list(entry.organizationId, { state: "sent", limit: 50 })).some((e) => e.id === entry.id),
            )
          }

          // One answer's task is gone: the batch fails, so each is stored alone and only that one fails.
          const next = [yield* answered("r-5"), yield* answered("r-6"), yield* answered("r-7")]
          const sql = yield* SqlClient
          yield* sql`DELETE FROM tasks WHERE id = ${next[1]?.entry.taskId ?? ""}`
          const exits = yield* settleTogether(next)
          assert.deepStrictEqual(exits[0], Exit.succeed(false))
          assert.deepStrictEqual(exits[2], Exit.succeed(false))
          assert.isTrue(exits[1] !== undefined && Exit.isFailure(exits[1]))
          assert.include(String(exits[1]?._tag === "Failure" ? Cause.squash(exits[1].cause) : ""), "TaskNotFound")
          assert.strictEqual((yield* taskOf(connection.id, "r-7")).title, "Sent r-7")
        }),
      ),
    )

    run("rebuilds a connection's adapter when its settings change, and only then", {}, (fake) =>
      within(fake)(
        Effect.gen(function* () {
          const connection = yield* connectionFor()
          const adapters = yield* VendorAdapters
          const first = yield* adapters.forConnection(connection.id)
          assert.strictEqual(yield* adapters.forConnection(connection.id), first, "cached while nothing changed")
          const connections = yield* ConnectionRepository
          yield* connections.learnIdentity(connection.id, { email: "a@b.test", userId: "u-1" })
          assert.strictEqual(yield* adapters.forConnection(connection.id), first, "learning is not a settings change")
          yield* connections.update({ ...(yield* connections.find(connection.id)), name: "Renamed" })
          assert.notStrictEqual(yield* adapters.forConnection(connection.id), first)
        }),
      ),
    )
  })
}
