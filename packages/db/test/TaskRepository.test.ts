// Tasks, their links and merge bases, and transactions, on every backend: round trips, optimistic concurrency (one at a
// time and a page at once), organization scoping, one task per vendor record, and atomic rollback.
import { assert, describe, layer } from "@effect/vitest"
import { Assignee } from "@taskbridge/domain/Assignment"
import { Due, IanaZone } from "@taskbridge/domain/Due"
import { OrganizationId, TaskId, UserId, VendorRecordId } from "@taskbridge/domain/Ids"
import {
  LinkRepository,
  type LinkUpdate,
  OutboxRepository,
  TaskRepository,
  Transactor,
} from "@taskbridge/domain/ports/Repositories"
import { Task, Title } from "@taskbridge/domain/Task"
import { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Effect, Schedule, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { backends, stack } from "./backends.ts"
import { at, connection, link, organization, task } from "./fixtures.ts"

/** An organization id no test creates: every read for it must come back empty. */
const theirs = () => OrganizationId.make("org-nobody")

const json = Schema.encodeSync(Schema.toCodecJson(Task))
const recordJson = Schema.encodeSync(Schema.toCodecJson(VendorRecord))

/** What a sync stores for a record on its link: the vendor's view and the merge base. */
const update = (id: string, hash: string): LinkUpdate => {
  const r = record(id)
  return {
    recordId: r.id,
    vendorStatus: r.snapshot.vendorStatus,
    extension: r.snapshot.extension,
    parent: r.parent,
    syncedAt: at("2026-11-02T08:00:01Z"),
    base: recordJson(r),
    hash,
  }
}

const rich = (org: OrganizationId, links: Task["links"]) =>
  task(org, {
    title: Title.make("Resubmit claim 4471"),
    description: "Payer rejected: missing modifier",
    status: "in_progress",
    priority: "urgent",
    due: Due.cases.Instant.make({ at: at("2026-11-03T15:30:00.250Z"), zone: IanaZone.make("America/Santiago") }),
    assignees: [
      Assignee.cases.User.make({ id: UserId.make("u-7") }),
      Assignee.cases.Email.make({ email: "Ana@clinic.test" }),
    ],
    tags: ["billing", "urgent"],
    subjects: { patient: { id: "p-1", display: "Ana Díaz" }, claim: { id: "c-4471" } },
    notes: [{ id: "n-1", author: "ana", at: at("2026-11-01T09:00:00Z"), text: "called payer", origin: "candid" }],
    links,
  })

const record = (id: string) =>
  VendorRecord.make({
    id: VendorRecordId.make(id),
    version: "2026-11-02T08:00:00.000Z",
    updatedAt: at("2026-11-02T08:00:00.123Z"),
    parent: "case-7",
    unknownValues: [{ field: "status", value: "on_hold", fallback: "waiting" }],
    snapshot: {
      fields: {
        title: Title.make("Resubmit claim"),
        description: null,
        status: "waiting",
        priority: "none",
        due: Due.cases.AllDay.make({ date: Schema.decodeSync(Due.cases.AllDay.fields.date)("2026-11-05") }),
        assignees: [Assignee.cases.Queue.make({ id: "q-1", name: "Billing" })],
        tags: [],
      },
      vendorStatus: "on_hold",
      subjects: { encounter: { id: "e-9" } },
      notes: [],
      extension: null,
    },
  })

for (const backend of backends) {
  describe(`TaskRepository [${backend.name}]`, () => {
    layer(stack(backend), { excludeTestServices: true })((it) => {
      it.effect("stores a task with its links and reads back the same task", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const org = yield* organization()
          const candid = yield* connection(org, "candid")
          const spry = yield* connection(org, "spry")
          const stored = rich(org, [link(spry, "spry"), link(candid, "candid")])
          yield* repo.insert(stored)
          assert.deepStrictEqual(json(yield* repo.get(org, stored.id)), json(stored))
        }),
      )

      it.effect("updates at the expected version and reports the current version on a stale one", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const org = yield* organization()
          const original = task(org)
          yield* repo.insert(original)
          const renamed = new Task({ ...original, title: Title.make("Call the payer again") })
          const saved = yield* repo.update(renamed, 1)
          assert.strictEqual(saved.version, 2)
          const stale = yield* Effect.flip(repo.update(new Task({ ...original, status: "done" }), 1))
          assert.strictEqual(stale._tag, "VersionConflict")
          assert.deepInclude(stale, { expectedVersion: 1, currentVersion: 2 })
          const current = yield* repo.get(org, original.id)
          assert.deepStrictEqual([current.title, current.status, current.version], [renamed.title, "open", 2])
        }),
      )

      it.effect("treats another organization's task as not found, for reads and writes", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const mine = yield* organization()
          const theirs = yield* organization()
          const stored = task(mine)
          yield* repo.insert(stored)
          const read = yield* Effect.flip(repo.get(theirs, stored.id))
          assert.strictEqual(read._tag, "TaskNotFound")
          const write = yield* Effect.flip(repo.update(new Task({ ...stored, organizationId: theirs }), 1))
          assert.strictEqual(write._tag, "TaskNotFound")
          assert.strictEqual((yield* repo.get(mine, stored.id)).version, 1)
          const missing = yield* Effect.flip(repo.get(mine, TaskId.make("no-such-task")))
          assert.strictEqual(missing._tag, "TaskNotFound")
        }),
      )

      it.effect("finds a task by its vendor record and refuses a second task for the same record", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const org = yield* organization()
          const vambe = yield* connection(org, "vambe")
          const first = task(org, { links: [link(vambe, "vambe", "rec-1")] })
          yield* repo.insert(first)
          assert.strictEqual((yield* repo.findByRecord(vambe, VendorRecordId.make("rec-1")))?.id, first.id)
          assert.isNull(yield* repo.findByRecord(vambe, VendorRecordId.make("rec-2")))
          const second = task(org, { links: [link(vambe, "vambe", "rec-1")] })
          const refused = yield* Effect.flip(repo.insert(second))
          assert.strictEqual(refused._tag, "PersistenceError")
          const gone = yield* Effect.flip(repo.get(org, second.id))
          assert.strictEqual(gone._tag, "TaskNotFound", "the task row rolled back with its link")
        }),
      )

      it.effect("keeps the merge base through JSON and across updates while the link stays", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const links = yield* LinkRepository
          const org = yield* organization()
          const candid = yield* connection(org, "candid")
          const kept = link(candid, "candid", "rec-kept")
          const stored = task(org, { links: [kept] })
          yield* repo.insert(stored)
          assert.deepStrictEqual(yield* links.find(candid, kept.recordId), {
            taskId: stored.id,
            parent: null,
            base: null,
            hash: null,
            deletedAt: null,
            syncedAt: null,
          })
          yield* links.record(candid, [update("rec-kept", "sha256:abc")])
          const added = link(candid, "candid", "rec-added")
          const current = yield* repo.get(org, stored.id)
          yield* repo.update(new Task({ ...current, links: [...current.links, added] }), 1)
          const found = yield* links.find(candid, kept.recordId)
          assert.strictEqual(found?.hash, "sha256:abc")
          assert.strictEqual(found?.parent, "case-7")
          assert.deepStrictEqual(found?.base && recordJson(found.base), recordJson(record("rec-kept")))
          yield* repo.update(new Task({ ...stored, links: [added] }), 2)
          assert.isNull(yield* links.find(candid, kept.recordId))
          const orphan = yield* Effect.flip(links.record(candid, [update("rec-unlinked", "h")]))
          assert.strictEqual(orphan._tag, "PersistenceError")
        }),
      )

      it.effect("writes a merge base given with an update in the same statement, keeping the other links' bases", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const links = yield* LinkRepository
          const org = yield* organization()
          const candid = yield* connection(org, "candid")
          const kept = link(candid, "candid", "rec-base-kept")
          const sent = link(candid, "candid", "rec-base-sent")
          const stored = task(org, { links: [kept, sent] })
          yield* repo.insert(stored)
          yield* links.record(candid, [update("rec-base-kept", "sha256:kept")])
          const answer = recordJson(record("rec-base-sent"))
          const text = JSON.stringify(answer)
          const bases = new Map([[sent.recordId, { base: answer, hash: "sha256:sent", text }]])
          yield* repo.update(stored, 1, bases)
          const found = yield* links.find(candid, sent.recordId)
          assert.strictEqual(found?.hash, "sha256:sent")
          assert.deepStrictEqual(found?.base && recordJson(found.base), answer)
          assert.strictEqual((yield* links.find(candid, kept.recordId))?.hash, "sha256:kept", "untouched")
          // A link new to the task gets its base as it is inserted.
          const added = link(candid, "candid", "rec-base-added")
          const current = yield* repo.get(org, stored.id)
          const addedBase = recordJson(record("rec-base-added"))
          yield* repo.update(
            new Task({ ...current, links: [...current.links, added] }),
            2,
            new Map([[added.recordId, { base: addedBase, hash: "sha256:added" }]]),
          )
          assert.strictEqual((yield* links.find(candid, added.recordId))?.hash, "sha256:added")
          assert.strictEqual((yield* links.find(candid, sent.recordId))?.hash, "sha256:sent", "kept without bases")
        }),
      )

      it.effect("stores a page of tasks in one call, or none of them when one record is already linked", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const links = yield* LinkRepository
          const org = yield* organization()
          const candid = yield* connection(org, "candid")
          const page = [
            rich(org, [link(candid, "candid", "rec-a")]),
            task(org, { links: [link(candid, "candid", "rec-b")] }),
            task(org),
          ]
          yield* repo.insertMany(page)
          for (const stored of page) assert.deepStrictEqual(json(yield* repo.get(org, stored.id)), json(stored))
          const known = yield* links.findMany(
            candid,
            ["rec-a", "rec-b", "rec-c"].map((id) => VendorRecordId.make(id)),
          )
          assert.deepStrictEqual([...known.entries()].map(([id, found]) => [id, found.taskId]).sort(), [
            ["rec-a", page[0]?.id],
            ["rec-b", page[1]?.id],
          ])
          yield* links.record(candid, [update("rec-a", "h-a"), update("rec-b", "h-b")])
          assert.deepStrictEqual(
            [
              (yield* links.find(candid, VendorRecordId.make("rec-a")))?.hash,
              (yield* links.find(candid, VendorRecordId.make("rec-b")))?.hash,
            ],
            ["h-a", "h-b"],
          )
          const orphan = yield* Effect.flip(links.record(candid, [update("rec-a", "h-a2"), update("rec-none", "h")]))
          assert.include(orphan.detail, "rec-none")
          const clash = [
            task(org, { links: [link(candid, "candid", "rec-c")] }),
            task(org, { links: [link(candid, "candid", "rec-a")] }),
          ]
          const refused = yield* Effect.flip(repo.insertMany(clash))
          assert.strictEqual(refused._tag, "PersistenceError")
          for (const rejected of clash) {
            assert.strictEqual((yield* Effect.flip(repo.get(org, rejected.id)))._tag, "TaskNotFound")
          }
          assert.isNull(yield* links.find(candid, VendorRecordId.make("rec-c")))
        }),
      )

      it.effect(
        "stores new links with the merge base given as text, and no link to another organization's connection",
        () =>
          Effect.gen(function* () {
            const repo = yield* TaskRepository
            const links = yield* LinkRepository
            const org = yield* organization()
            const candid = yield* connection(org, "candid")
            const vambe = yield* connection(org, "vambe")
            const two = rich(org, [link(candid, "candid", "rec-two-a"), link(vambe, "vambe", "rec-two-b")])
            const plain = task(org)
            const base = recordJson(record("rec-two-a"))
            // The text is what is stored (a caller hashed it), so it must be the base's own JSON.
            yield* repo.insertMany(
              [two, plain],
              new Map([[VendorRecordId.make("rec-two-a"), { base, hash: "h-text", text: JSON.stringify(base) }]]),
            )
            assert.deepStrictEqual(json(yield* repo.get(org, two.id)), json(two), "both links, in order")
            assert.deepStrictEqual(json(yield* repo.get(org, plain.id)), json(plain))
            const withBase = yield* links.find(candid, VendorRecordId.make("rec-two-a"))
            assert.strictEqual(withBase?.hash, "h-text")
            assert.deepStrictEqual(withBase?.base && recordJson(withBase.base), base)
            assert.isNull((yield* links.find(vambe, VendorRecordId.make("rec-two-b")))?.base)
            const other = yield* organization()
            const stray = task(other, { links: [link(candid, "candid", "rec-stray")] })
            const refused = yield* Effect.flip(repo.insertMany([stray]))
            assert.strictEqual(refused._tag, "PersistenceError", "a link names a connection of its own organization")
            assert.strictEqual((yield* Effect.flip(repo.get(other, stray.id)))._tag, "TaskNotFound")
          }),
      )

      it.effect("reads a page's tasks at once and stores them at once, or none when one moved meanwhile", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const org = yield* organization()
          const [a, b] = [task(org), task(org, { kind: "escalation" })]
          yield* repo.insertMany([a, b])
          // Read with `lock`, the rows are this transaction's until it ends: a locked tuple carries the locker's id.
          const sql = yield* SqlClient
          const { read, lockedHere } = yield* (yield* Transactor).atomically(
            Effect.gen(function* () {
              const read = yield* repo.getMany(org, [a.id, b.id, TaskId.make("not-there")], { lock: true })
              const held = yield* sql<{ readonly n: number }>`
                SELECT count(*)::int AS n FROM tasks WHERE id IN (${a.id}, ${b.id})
                  AND xmax::text = (pg_current_xact_id()::text::bigint % 4294967296)::text`
              return { read, lockedHere: held[0]?.n }
            }),
          )
          assert.strictEqual(lockedHere, 2, "both rows are locked by the reading transaction")
          assert.deepStrictEqual([...read.keys()].sort(), [a.id, b.id].sort())
          assert.strictEqual(read.get(b.id)?.kind, "escalation")
          yield* repo.updateMany([
            { task: new Task({ ...a, status: "done" }), expectedVersion: 1 },
            { task: new Task({ ...b, title: Title.make("Call back") }), expectedVersion: 1 },
          ])
          const after = yield* repo.getMany(org, [a.id, b.id])
          assert.deepStrictEqual(
            [after.get(a.id)?.status, after.get(a.id)?.version, after.get(b.id)?.title, after.get(b.id)?.version],
            ["done", 2, "Call back", 2],
          )
          const stale = yield* Effect.flip(
            repo.updateMany([
              { task: new Task({ ...a, status: "cancelled" }), expectedVersion: 2 },
              { task: new Task({ ...b, status: "cancelled" }), expectedVersion: 1 },
            ]),
          )
          assert.deepInclude(stale, { _tag: "VersionConflict", id: b.id, currentVersion: 2 })
          assert.strictEqual((yield* repo.get(org, a.id)).status, "done", "the whole page is refused")
          assert.deepStrictEqual((yield* repo.getMany(theirs(), [a.id])).size, 0)
        }),
      )

      it.effect("tombstones records, and tells which live records a finished full listing did not see", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const links = yield* LinkRepository
          const org = yield* organization()
          const vambe = yield* connection(org, "vambe")
          const tasks = ["r-1", "r-2", "r-3"].map((id) => task(org, { links: [link(vambe, "vambe", id)] }))
          yield* repo.insertMany(tasks)
          yield* links.markSeen(
            vambe,
            "g-1",
            ["r-1", "r-3"].map((id) => VendorRecordId.make(id)),
          )
          const unseen = yield* links.unseen(vambe, "g-1", at("2030-01-01T00:00:00Z"))
          assert.deepStrictEqual([unseen.records, unseen.live], [["r-2"], 3])
          const gone = yield* links.tombstone(vambe, [VendorRecordId.make("r-2")], at("2026-11-04T00:00:00Z"))
          assert.deepStrictEqual(
            gone.map((g) => [g.recordId, g.taskId]),
            [["r-2", tasks[1]?.id]],
          )
          const after = yield* links.unseen(vambe, "g-1", at("2030-01-01T00:00:00Z"))
          assert.deepStrictEqual([after.records, after.live], [[], 2])
          const tombstoned = yield* links.find(vambe, VendorRecordId.make("r-2"))
          assert.isNotNull(tombstoned?.deletedAt)
          assert.deepStrictEqual(
            yield* links.tombstone(vambe, [VendorRecordId.make("r-2")], at("2026-11-05T00:00:00Z")),
            [],
            "a tombstone is set once",
          )
          // A record listed again is alive again.
          yield* links.record(vambe, [update("r-2", "h")])
          assert.isNull((yield* links.find(vambe, VendorRecordId.make("r-2")))?.deletedAt)
        }),
      )

      it.effect(
        "refreshes the planner's statistics of the key columns once a page's inserts outgrow them, and only then",
        () =>
          Effect.gen(function* () {
            const repo = yield* TaskRepository
            const sql = yield* SqlClient
            const org = yield* organization()
            const candid = yield* connection(org, "candid")
            const counted = Effect.map(
              sql<{ readonly rows: number }>`SELECT reltuples::float8 AS rows FROM pg_class
                                            WHERE oid = 'tasks'::regclass`,
              (found) => Number(found[0]?.rows ?? -1),
            )
            // Whatever earlier tests left is counted first, so what follows starts from statistics that are current;
            // the server's own background refresh is off for these tables meanwhile, or it could count them first.
            for (const table of ["tasks", "links", "history"]) {
              yield* sql`ALTER TABLE ${sql(table)} SET (autovacuum_enabled = false)`
              yield* sql`ANALYZE ${sql(table)}`
            }
            const before = yield* counted
            assert.isFalse(yield* repo.refreshStatistics, "nothing changed since the last count")
            const page = Array.from({ length: 1_200 }, (_, i) =>
              task(org, { links: [link(candid, "candid", `stat-${i}`)] }),
            )
            yield* repo.insertMany(page)
            // The activity counters reach the statistics view within about a second of the commit.
            const refreshed = yield* repo.refreshStatistics.pipe(
              Effect.flatMap((done) => (done ? Effect.succeed(true) : Effect.fail("not yet" as const))),
              Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 50 }),
            )
            assert.isTrue(refreshed)
            assert.isAtLeast(yield* counted, before + 1_200, "the planner counts the new rows")
            // Only the key columns were sampled (not `search` or the jsonb payloads), so the table's change counter
            // still tells the server's autovacuum that a full ANALYZE is owed; a full one here would have reset it.
            const owed = yield* sql<{ readonly changed: number }>`
            SELECT n_mod_since_analyze::float8 AS changed FROM pg_stat_user_tables WHERE relid = 'tasks'::regclass`
            assert.isAtLeast(Number(owed[0]?.changed ?? 0), 1_200, "the full ANALYZE is still owed to autovacuum")
            assert.isFalse(yield* repo.refreshStatistics, "refreshed once, not again for the same rows")
            for (const table of ["tasks", "links", "history"])
              yield* sql`ALTER TABLE ${sql(table)} RESET (autovacuum_enabled)`
          }),
      )

      it.effect("rolls back every write of a failed Transactor.atomically", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const outbox = yield* OutboxRepository
          const { atomically } = yield* Transactor
          const org = yield* organization()
          const spry = yield* connection(org, "spry")
          const stored = task(org)
          const failed = yield* Effect.flip(
            atomically(
              Effect.gen(function* () {
                yield* repo.insert(stored)
                yield* outbox.enqueue({
                  organizationId: org,
                  connectionId: spry,
                  taskId: stored.id,
                  recordId: null,
                  payload: { operation: "update", change: { fields: { title: stored.title } } },
                })
                return yield* Effect.fail("vendor said no" as const)
              }),
            ),
          )
          assert.strictEqual(failed, "vendor said no")
          assert.strictEqual((yield* Effect.flip(repo.get(org, stored.id)))._tag, "TaskNotFound")
          assert.isNull(yield* outbox.next(spry, stored.id))
        }),
      )
    })
  })
}
