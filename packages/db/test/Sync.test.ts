// The sync engine's bookkeeping on every backend: outbox order and the supersede rule (one change or a page at once),
// checkpoints, conflicts that replay into one open record, sync-run progress and abandoned runs, held deletions, and
// what an adapter learned about its connection.
import { assert, describe, layer } from "@effect/vitest"
import { TaskId, VendorRecordId } from "@taskbridge/domain/Ids"
import {
  CheckpointRepository,
  ConflictRepository,
  HeldDeletionRepository,
  type NewOutboxEntry,
  type OutboxPayload,
  OutboxRepository,
  SyncRunRepository,
} from "@taskbridge/domain/ports/Repositories"
import { Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import { candidScheme } from "@taskbridge/domain/schemes/Candid"
import { Title } from "@taskbridge/domain/Task"
import { Effect } from "effect"
import { ConnectionRepository } from "../src/ConnectionRepository.ts"
import { backends, stack } from "./backends.ts"
import { connection, organization, uid } from "./fixtures.ts"

const update = (fields: Record<string, unknown>, note?: string): OutboxPayload => ({
  operation: "update",
  change: {
    fields: {
      ...("title" in fields ? { title: Title.make("New title") } : {}),
      ...("priority" in fields ? { priority: "high" as const } : {}),
    },
    ...(note === undefined ? {} : { note }),
  },
})

const setup = Effect.fn("setup")(function* () {
  const org = yield* organization()
  const conn = yield* connection(org, "vambe")
  const taskId = TaskId.make(uid("task"))
  const entry = (payload: OutboxPayload): NewOutboxEntry => ({
    organizationId: org,
    connectionId: conn,
    taskId,
    recordId: null,
    payload,
  })
  return { org, conn, taskId, entry }
})

for (const backend of backends) {
  describe(`sync bookkeeping [${backend.name}]`, () => {
    layer(stack(backend), { excludeTestServices: true })((it) => {
      it.effect("hands out one task's changes oldest first, resuming a change left sending", () =>
        Effect.gen(function* () {
          const outbox = yield* OutboxRepository
          const { conn, taskId, entry } = yield* setup()
          const first = yield* outbox.enqueue(entry(update({ title: 1 })))
          const second = yield* outbox.enqueue(entry(update({}, "called the clinic")))
          assert.deepStrictEqual([first.fields, second.fields], [["title"], ["note"]])
          assert.strictEqual((yield* outbox.next(conn, taskId))?.id, first.id)
          const claimed = yield* outbox.claim(first.id)
          assert.deepInclude(claimed, { state: "sending", attempts: 1 })
          assert.strictEqual((yield* outbox.next(conn, taskId))?.id, first.id, "an interrupted send is resumed first")
          yield* outbox.mark(first.id, "sent", null)
          assert.isNull(yield* outbox.claim(first.id))
          assert.strictEqual((yield* outbox.next(conn, taskId))?.id, second.id)
          yield* outbox.mark(second.id, "dead", "422 Validation: note too long")
          assert.isNull(yield* outbox.next(conn, taskId))
        }),
      )

      it.effect("marks a change sent and says whether its task has another one queued at the connection", () =>
        Effect.gen(function* () {
          const outbox = yield* OutboxRepository
          const { org, conn, taskId, entry } = yield* setup()
          const first = yield* outbox.enqueue(entry(update({ title: 1 }, "a note")))
          const second = yield* outbox.enqueue(entry(update({}, "another note")))
          // Another task's row at the same connection does not count.
          const other = yield* outbox.enqueue({ ...entry(update({ priority: 1 })), taskId: TaskId.make(uid("task")) })
          yield* outbox.claim(first.id)
          assert.isTrue(yield* outbox.markSent(first.id), "the second is still queued")
          yield* outbox.claim(second.id)
          assert.isFalse(yield* outbox.markSent(second.id), "nothing of this task is left")
          const sent = yield* outbox.list(org, { state: "sent", connection: conn, limit: 10 })
          assert.deepStrictEqual(
            sent.map((e) => [e.id, e.lastError]),
            [
              [first.id, null],
              [second.id, null],
            ],
          )
          assert.isNull(yield* outbox.next(conn, taskId))
          assert.strictEqual((yield* outbox.list(org, { state: "pending", limit: 10 }))[0]?.id, other.id)
        }),
      )

      it.effect("marks several changes sent in one statement, each saying what its task still has queued", () =>
        Effect.gen(function* () {
          const outbox = yield* OutboxRepository
          const { org, conn, entry } = yield* setup()
          const of = (task: TaskId, note: string) => outbox.enqueue({ ...entry(update({}, note)), taskId: task })
          const [a, b, c] = [TaskId.make(uid("task")), TaskId.make(uid("task")), TaskId.make(uid("task"))]
          const a1 = yield* of(a, "a1")
          const a2 = yield* of(a, "a2")
          const b1 = yield* of(b, "b1")
          // Two rows of one task named together: neither counts the other as still queued.
          const c1 = yield* of(c, "c1")
          const c2 = yield* of(c, "c2")
          for (const row of [a1, b1, c1, c2]) yield* outbox.claim(row.id)
          const more = yield* outbox.markSentMany([a1.id, b1.id, c1.id, c2.id])
          assert.deepStrictEqual(
            [a1, b1, c1, c2].map((row) => more.get(row.id)),
            [true, false, false, false],
          )
          const sent = yield* outbox.list(org, { state: "sent", connection: conn, limit: 10 })
          assert.deepStrictEqual(sent.map((e) => e.id).sort(), [a1.id, b1.id, c1.id, c2.id].sort())
          assert.strictEqual((yield* outbox.next(conn, a))?.id, a2.id)
          assert.strictEqual((yield* outbox.markSentMany([])).size, 0)
        }),
      )

      it.effect("supersedes an unsent older update whose fields a newer one covers, never a note or a create", () =>
        Effect.gen(function* () {
          const outbox = yield* OutboxRepository
          const { org, entry } = yield* setup()
          const create = yield* outbox.enqueue(
            entry({
              operation: "create",
              draft: {
                key: "k-1",
                snapshot: {
                  fields: {
                    title: Title.make("Escalate"),
                    description: null,
                    status: "open",
                    priority: "none",
                    due: { _tag: "None" },
                    assignees: [],
                    tags: [],
                  },
                  vendorStatus: "active",
                  subjects: { case: { id: "case-1" } },
                  notes: [],
                  extension: { _tag: "carevalidate", caseId: "case-1", escalationType: "support" },
                },
              },
            }),
          )
          const title = yield* outbox.enqueue(entry(update({ title: 1 })))
          const note = yield* outbox.enqueue(entry(update({ title: 1 }, "first note")))
          const inFlight = yield* outbox.enqueue(entry(update({ priority: 1 })))
          yield* outbox.claim(inFlight.id)
          // Writes title and priority again, with a note of its own: the older title-only change is obsolete, the older
          // note is not (both notes must reach the vendor), and the change already in flight is left alone.
          const both = yield* outbox.enqueue(entry(update({ title: 1, priority: 1 }, "second note")))
          const superseded = yield* outbox.list(org, { state: "superseded", limit: 10 })
          assert.deepStrictEqual(
            superseded.map((e) => e.id),
            [title.id],
          )
          const pending = yield* outbox.list(org, { state: "pending", limit: 10 })
          assert.deepStrictEqual(
            pending.map((e) => e.id),
            [create.id, note.id, both.id],
          )
          assert.strictEqual((yield* outbox.list(org, { state: "sending", limit: 10 }))[0]?.id, inFlight.id)
        }),
      )

      it.effect("keeps one checkpoint per connection, replaced on every page", () =>
        Effect.gen(function* () {
          const checkpoints = yield* CheckpointRepository
          const { conn } = yield* setup()
          assert.isNull(yield* checkpoints.get(conn))
          yield* checkpoints.put(conn, Checkpoint.make("page-1"))
          yield* checkpoints.put(conn, Checkpoint.make("page-2"))
          assert.strictEqual(yield* checkpoints.get(conn), "page-2")
        }),
      )

      it.effect("keeps one open conflict per field across replays until it is resolved", () =>
        Effect.gen(function* () {
          const conflicts = yield* ConflictRepository
          const { org, conn, taskId } = yield* setup()
          const other = yield* organization()
          const conflict = { organizationId: org, taskId, connectionId: conn, field: "title", base: "a", local: "b" }
          const first = yield* conflicts.record({ ...conflict, remote: "c" })
          const replay = yield* conflicts.record({ ...conflict, remote: "d" })
          assert.strictEqual(replay.id, first.id)
          const open = yield* conflicts.open(org, taskId)
          assert.deepStrictEqual(
            open.map((c) => [c.id, c.remote]),
            [[first.id, "d"]],
          )
          assert.strictEqual(
            (yield* Effect.flip(conflicts.resolve(other, first.id, "b", "ana")))._tag,
            "ConflictNotOpen",
          )
          const resolved = yield* conflicts.resolve(org, first.id, { chosen: "b" }, "ana")
          assert.deepInclude(resolved, { state: "resolved", resolvedBy: "ana" })
          assert.deepStrictEqual(resolved.resolution, { chosen: "b" })
          assert.strictEqual((yield* Effect.flip(conflicts.resolve(org, first.id, "b", "ana")))._tag, "ConflictNotOpen")
          assert.deepStrictEqual(yield* conflicts.open(org), [])
          assert.notStrictEqual((yield* conflicts.record({ ...conflict, remote: "e" })).id, first.id)
        }),
      )

      it.effect("keeps a side that is null (a description nobody wrote) as null", () =>
        Effect.gen(function* () {
          const conflicts = yield* ConflictRepository
          const { org, conn, taskId } = yield* setup()
          const base = { organizationId: org, taskId, connectionId: conn, field: "description" }
          yield* conflicts.recordMany([{ ...base, base: null, local: "ours", remote: "theirs" }])
          const [open] = yield* conflicts.open(org, taskId)
          assert.deepStrictEqual([open?.base, open?.local, open?.remote], [null, "ours", "theirs"])
          const cleared = yield* conflicts.record({ ...base, base: "was", local: null, remote: "theirs" })
          assert.deepStrictEqual([cleared.base, cleared.local], ["was", null])
        }),
      )

      it.effect("records sync-run progress page by page and its outcome", () =>
        Effect.gen(function* () {
          const runs = yield* SyncRunRepository
          const { org, conn } = yield* setup()
          const earlier = yield* runs.start(org, conn, "backfill")
          yield* runs.finish(earlier.id, { error: null })
          const run = yield* runs.start(org, conn, "incremental")
          yield* runs.progress(run.id, { records: 10, total: 25 })
          yield* runs.progress(run.id, { records: 5, total: null })
          const failed = yield* runs.finish(run.id, { error: "429 after 3 retries" })
          assert.deepInclude(failed, { state: "failed", pages: 2, records: 15, total: null })
          assert.isNotNull(failed.finishedAt)
          const listed = yield* runs.list(conn, 10)
          assert.deepStrictEqual(
            listed.map((r) => [r.kind, r.state]),
            [
              ["incremental", "failed"],
              ["backfill", "succeeded"],
            ],
          )
        }),
      )

      it.effect(
        "queues a page's changes in one call, superseding what they cover, and lists a task's unfinished ones",
        () =>
          Effect.gen(function* () {
            const outbox = yield* OutboxRepository
            const { org, conn, taskId, entry } = yield* setup()
            const older = yield* outbox.enqueue(entry(update({ title: 1 })))
            const other = { ...entry(update({ title: 1 })), taskId: TaskId.make(uid("task")) }
            const queued = yield* outbox.enqueueMany([entry(update({ title: 1, priority: 1 })), other])
            assert.strictEqual(queued.length, 2)
            assert.deepStrictEqual(
              (yield* outbox.list(org, { state: "superseded", limit: 10 })).map((e) => e.id),
              [older.id],
            )
            assert.deepStrictEqual(
              (yield* outbox.unfinished(conn, [taskId])).map((e) => e.id),
              [queued[0]?.id],
            )
          }),
      )

      it.effect("fails the runs a dead process left running, and only those of that connection", () =>
        Effect.gen(function* () {
          const runs = yield* SyncRunRepository
          const { org, conn } = yield* setup()
          const stuck = yield* runs.start(org, conn, "backfill")
          const elsewhere = yield* runs.start(org, yield* connection(org, "vambe"), "backfill")
          assert.strictEqual(yield* runs.abandon(conn, "the process running it stopped", 0), 1)
          const [latest] = yield* runs.list(conn, 1)
          assert.deepInclude(latest, { id: stuck.id, state: "failed", error: "the process running it stopped" })
          assert.strictEqual((yield* runs.list(elsewhere.connectionId, 1))[0]?.state, "running")
        }),
      )

      it.effect("holds one undecided mass deletion per connection, decided once and only in its organization", () =>
        Effect.gen(function* () {
          const held = yield* HeldDeletionRepository
          const { org, conn } = yield* setup()
          const records = ["r-1", "r-2"].map((id) => VendorRecordId.make(id))
          const first = yield* held.hold({
            organizationId: org,
            connectionId: conn,
            generation: "g-1",
            records,
            live: 4,
          })
          const second = yield* held.hold({
            organizationId: org,
            connectionId: conn,
            generation: "g-2",
            records,
            live: 4,
          })
          assert.deepStrictEqual(
            (yield* held.held(org, conn)).map((d) => d.id),
            [second.id],
            "a newer listing replaces the undecided one",
          )
          assert.strictEqual(
            (yield* Effect.flip(held.decide(org, first.id, "confirmed", "ana")))._tag,
            "HeldDeletionNotFound",
          )
          const other = yield* organization()
          assert.strictEqual(
            (yield* Effect.flip(held.decide(other, second.id, "confirmed", "ana")))._tag,
            "HeldDeletionNotFound",
          )
          const decided = yield* held.decide(org, second.id, "rejected", "ana")
          assert.deepInclude(decided, { state: "rejected", decidedBy: "ana", live: 4 })
          assert.deepStrictEqual(decided.records, records)
          assert.deepStrictEqual(yield* held.held(org), [])
        }),
      )

      it.effect("keeps what an adapter learned without changing the connection's settings version", () =>
        Effect.gen(function* () {
          const connections = yield* ConnectionRepository
          const { conn } = yield* setup()
          const version = yield* connections.settingsVersion(conn)
          yield* connections.learnIdentity(conn, { email: "Ana@clinic.test", userId: "u-1" })
          yield* connections.learnIdentity(conn, { email: "bo@clinic.test", userId: "u-2" })
          // A newer pair for the same e-mail replaces the old one, whatever its case.
          yield* connections.learnIdentity(conn, { email: "ana@clinic.test", userId: "u-3" })
          yield* connections.saveScheme(conn, candidScheme({ deprecated: ["blocked"] }))
          yield* connections.saveFact(conn, "priorities", [{ id: "p-1", score: 3 }])
          yield* connections.saveFact(conn, "queues", ["q-1"])
          const found = yield* connections.find(conn)
          assert.deepStrictEqual(found.identityMap, [
            { email: "bo@clinic.test", userId: "u-2" },
            { email: "ana@clinic.test", userId: "u-3" },
          ])
          assert.isTrue(found.statusScheme?.statuses.find((s) => s.name === "blocked")?.writeForbidden)
          assert.deepStrictEqual(found.learnedFacts, { priorities: [{ id: "p-1", score: 3 }], queues: ["q-1"] })
          assert.strictEqual(yield* connections.settingsVersion(conn), version)
          assert.strictEqual((yield* connections.findVersioned(conn)).version, version, "read with the row, the same")
          yield* connections.update({ ...found, name: "renamed" })
          assert.notStrictEqual(yield* connections.settingsVersion(conn), version)
          assert.strictEqual((yield* connections.findVersioned(conn)).version, yield* connections.settingsVersion(conn))
          assert.deepStrictEqual((yield* connections.find(conn)).identityMap, found.identityMap, "settings keep it")
        }),
      )
    })
  })
}
