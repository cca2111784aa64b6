// The sync engine's bookkeeping on every backend: outbox order and the supersede rule, checkpoints, conflicts that
// replay into one open record, and sync-run progress.
import { assert, describe, layer } from "@effect/vitest"
import { TaskId } from "@taskbridge/domain/Ids"
import {
  CheckpointRepository,
  ConflictRepository,
  type NewOutboxEntry,
  type OutboxPayload,
  OutboxRepository,
  SyncRunRepository,
} from "@taskbridge/domain/ports/Repositories"
import { Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import { Title } from "@taskbridge/domain/Task"
import { Effect } from "effect"
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
  const subject = { kind: "task", id: TaskId.make(uid("task")) } as const
  const entry = (payload: OutboxPayload): NewOutboxEntry => ({
    organizationId: org,
    connectionId: conn,
    subject,
    recordId: null,
    payload,
  })
  return { org, conn, subject, entry }
})

for (const backend of backends) {
  describe(`sync bookkeeping [${backend.name}]`, () => {
    layer(stack(backend), { excludeTestServices: true })((it) => {
      it.effect("hands out one subject's changes oldest first, resuming a change left sending", () =>
        Effect.gen(function* () {
          const outbox = yield* OutboxRepository
          const { conn, subject, entry } = yield* setup()
          const first = yield* outbox.enqueue(entry(update({ title: 1 })))
          const second = yield* outbox.enqueue(entry(update({}, "called the clinic")))
          assert.deepStrictEqual([first.fields, second.fields], [["title"], ["note"]])
          assert.strictEqual((yield* outbox.next(conn, subject))?.id, first.id)
          const claimed = yield* outbox.claim(first.id)
          assert.deepInclude(claimed, { state: "sending", attempts: 1 })
          assert.strictEqual((yield* outbox.next(conn, subject))?.id, first.id, "an interrupted send is resumed first")
          yield* outbox.mark(first.id, "sent", null)
          assert.isNull(yield* outbox.claim(first.id))
          assert.strictEqual((yield* outbox.next(conn, subject))?.id, second.id)
          yield* outbox.mark(second.id, "dead", "422 Validation: note too long")
          assert.isNull(yield* outbox.next(conn, subject))
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
                _tag: "Escalation",
                key: "k-1",
                snapshot: {
                  caseRef: "case-1",
                  type: "support",
                  title: "Escalate",
                  note: null,
                  followUpDue: { _tag: "None" },
                  assignee: null,
                  state: "active",
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
          const { org, conn, subject } = yield* setup()
          const other = yield* organization()
          const conflict = { organizationId: org, subject, connectionId: conn, field: "title", base: "a", local: "b" }
          const first = yield* conflicts.record({ ...conflict, remote: "c" })
          const replay = yield* conflicts.record({ ...conflict, remote: "d" })
          assert.strictEqual(replay.id, first.id)
          const open = yield* conflicts.open(org, subject)
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
    })
  })
}
