// Tasks, their links and merge bases, and transactions, on every backend: round trips, optimistic concurrency,
// organization scoping, one subject per vendor record, and atomic rollback.
import { assert, describe, layer } from "@effect/vitest"
import { Assignee } from "@taskbridge/domain/Assignment"
import { Due, IanaZone } from "@taskbridge/domain/Due"
import { type OrganizationId, TaskId, UserId, VendorRecordId } from "@taskbridge/domain/Ids"
import { LinkRepository, OutboxRepository, TaskRepository, Transactor } from "@taskbridge/domain/ports/Repositories"
import { Task, Title } from "@taskbridge/domain/Task"
import { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Effect, Schema } from "effect"
import { backends, stack } from "./backends.ts"
import { at, connection, link, organization, task } from "./fixtures.ts"

const json = Schema.encodeSync(Schema.toCodecJson(Task))
const recordJson = Schema.encodeSync(Schema.toCodecJson(VendorRecord))

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
  VendorRecord.cases.Task.make({
    id: VendorRecordId.make(id),
    version: "2026-11-02T08:00:00.000Z",
    updatedAt: at("2026-11-02T08:00:00.123Z"),
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
            subject: { kind: "task", id: stored.id },
            base: null,
            hash: null,
          })
          yield* links.putBase(candid, record("rec-kept"), "sha256:abc")
          const added = link(candid, "candid", "rec-added")
          yield* repo.update(new Task({ ...stored, links: [kept, added] }), 1)
          const found = yield* links.find(candid, kept.recordId)
          assert.strictEqual(found?.hash, "sha256:abc")
          assert.deepStrictEqual(found?.base && recordJson(found.base), recordJson(record("rec-kept")))
          yield* repo.update(new Task({ ...stored, links: [added] }), 2)
          assert.isNull(yield* links.find(candid, kept.recordId))
          const orphan = yield* Effect.flip(links.putBase(candid, record("rec-unlinked"), "h"))
          assert.strictEqual(orphan._tag, "PersistenceError")
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
          assert.deepStrictEqual([...known.entries()].map(([id, found]) => [id, found.subject.id]).sort(), [
            ["rec-a", page[0]?.id],
            ["rec-b", page[1]?.id],
          ])
          yield* links.putBases(candid, [
            { record: record("rec-a"), hash: "h-a" },
            { record: record("rec-b"), hash: "h-b" },
          ])
          assert.deepStrictEqual(
            [
              (yield* links.find(candid, VendorRecordId.make("rec-a")))?.hash,
              (yield* links.find(candid, VendorRecordId.make("rec-b")))?.hash,
            ],
            ["h-a", "h-b"],
          )
          const orphan = yield* Effect.flip(
            links.putBases(candid, [
              { record: record("rec-a"), hash: "h-a2" },
              { record: record("rec-none"), hash: "h" },
            ]),
          )
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

      it.effect("rolls back every write of a failed Transactor.atomically", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const outbox = yield* OutboxRepository
          const { atomically } = yield* Transactor
          const org = yield* organization()
          const spry = yield* connection(org, "spry")
          const stored = task(org)
          const subject = { kind: "task", id: stored.id } as const
          const failed = yield* Effect.flip(
            atomically(
              Effect.gen(function* () {
                yield* repo.insert(stored)
                yield* outbox.enqueue({
                  organizationId: org,
                  connectionId: spry,
                  subject,
                  recordId: null,
                  payload: { operation: "update", change: { fields: { title: stored.title } } },
                })
                return yield* Effect.fail("vendor said no" as const)
              }),
            ),
          )
          assert.strictEqual(failed, "vendor said no")
          assert.strictEqual((yield* Effect.flip(repo.get(org, stored.id)))._tag, "TaskNotFound")
          assert.isNull(yield* outbox.next(spry, subject))
        }),
      )
    })
  })
}
