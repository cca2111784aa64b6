// The list view on every backend: each filter narrows to exactly the tasks it should, results stay inside the
// organization, and keyset pagination visits every row once while rows are being inserted.
import { assert, describe, layer } from "@effect/vitest"
import { Assignee } from "@taskbridge/domain/Assignment"
import { Due, IanaZone, PlainDate } from "@taskbridge/domain/Due"
import { type OrganizationId, UserId } from "@taskbridge/domain/Ids"
import { TaskRepository } from "@taskbridge/domain/ports/Repositories"
import { Task, Title } from "@taskbridge/domain/Task"
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { pageQuery, type TaskListFilter, TaskQuery } from "../src/TaskQuery.ts"
import { backends, stack } from "./backends.ts"
import { at, connection, link, organization, task } from "./fixtures.ts"

const date = PlainDate.make
const encodeTask = Schema.encodeSync(Schema.toCodecJson(Task))
const note = {
  id: "n-1",
  author: "Ana",
  at: at("2026-11-02T08:00:00.5Z"),
  text: "Called the payer",
  origin: "candid",
} as Task["notes"][number]

/** Seeds one organization with tasks named by the filters that should find them. */
const seed = Effect.fn("seed")(function* () {
  const repo = yield* TaskRepository
  const org = yield* organization()
  const [candid, spry, vambe] = [
    yield* connection(org, "candid"),
    yield* connection(org, "spry"),
    yield* connection(org, "vambe"),
  ]
  const ana = Assignee.cases.Email.make({ email: "Ana@Clinic.test" })
  const queue = Assignee.cases.Queue.make({ id: "billing" })
  const specs: Record<string, Partial<Task>> = {
    claim: { title: Title.make("Resubmit claim 4471"), links: [link(candid, "candid")], assignees: [queue] },
    payer: { description: "Call the payer about the denied claim", status: "waiting", links: [link(candid, "candid")] },
    waitlist: { title: Title.make("Waitlist: Ana Díaz"), links: [link(spry, "spry")], status: "in_progress" },
    both: { links: [link(spry, "spry"), link(vambe, "vambe")], assignees: [ana, queue], status: "done" },
    dueInstant: { due: Due.cases.Instant.make({ at: at("2026-11-10T12:00:00Z") }), assignees: [ana] },
    // Midnight in Tokyo on the 12th is 15:00 UTC on the 11th: inside an 11th-to-12th UTC range.
    dueAllDay: { due: Due.cases.AllDay.make({ date: date("2026-11-12"), zone: IanaZone.make("Asia/Tokyo") }) },
    dueWindow: {
      due: Due.cases.Window.make({ start: date("2026-11-20"), end: date("2026-11-27"), zone: IanaZone.make("UTC") }),
      status: "cancelled",
    },
  }
  const ids: Record<string, string> = {}
  let minute = 0
  for (const [name, spec] of Object.entries(specs)) {
    minute += 1
    const updatedAt = at(`2026-11-01T10:${String(minute).padStart(2, "0")}:00Z`)
    const stored = task(org, { ...spec, updatedAt })
    yield* repo.insert(stored)
    ids[name] = stored.id
  }
  return { org, ids, candid, spry, vambe, ana }
})

const listAll = Effect.fn("listAll")(function* (org: OrganizationId, filter: TaskListFilter) {
  const query = yield* TaskQuery
  const page = yield* query.list({ organizationId: org, filter, limit: 200 })
  return page.items.map((t) => t.id as string).sort()
})

const names = (ids: Record<string, string>, wanted: ReadonlyArray<string>) =>
  wanted.map((name) => ids[name] ?? name).sort()

for (const backend of backends) {
  describe(`TaskQuery [${backend.name}]`, () => {
    layer(stack(backend), { excludeTestServices: true })((it) => {
      it.effect("narrows by each filter to exactly the matching tasks of the organization", () =>
        Effect.gen(function* () {
          const { org, ids, candid, spry, ana } = yield* seed()
          const other = yield* seed()
          const all = Object.keys(ids)
          assert.deepStrictEqual(yield* listAll(org, {}), names(ids, all))
          const cases: ReadonlyArray<readonly [TaskListFilter, ReadonlyArray<string>]> = [
            [{ statuses: ["waiting", "done"] }, ["payer", "both"]],
            [{ vendors: ["spry"] }, ["waitlist", "both"]],
            [{ vendors: ["vambe", "candid"] }, ["claim", "payer", "both"]],
            [{ connections: [candid] }, ["claim", "payer"]],
            [{ connections: [spry], statuses: ["done"] }, ["both"]],
            [{ assignees: [Assignee.cases.Email.make({ email: "ana@clinic.test" })] }, ["both", "dueInstant"]],
            [{ assignees: [ana, Assignee.cases.Queue.make({ id: "billing" })] }, ["claim", "both", "dueInstant"]],
            [
              { dueFrom: at("2026-11-10T00:00:00Z"), dueBefore: at("2026-11-12T00:00:00Z") },
              ["dueInstant", "dueAllDay"],
            ],
            [{ dueFrom: at("2026-11-19T23:00:00Z") }, ["dueWindow"]],
            [{ text: "RESUB cla" }, ["claim"]],
            [{ text: "claim" }, ["claim", "payer"]],
            [{ text: "díaz" }, ["waitlist"]],
            [{ text: "?!" }, all],
            [{ statuses: [] }, all],
          ]
          for (const [filter, expected] of cases) {
            assert.deepStrictEqual(yield* listAll(org, filter), names(ids, expected), JSON.stringify(filter))
          }
          // The other organization's connection filters nothing into this organization.
          assert.deepStrictEqual(yield* listAll(org, { connections: [other.candid] }), [])
        }),
      )

      it.effect("pages newest first with a keyset cursor and visits every row once under inserts", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const query = yield* TaskQuery
          const org = yield* organization()
          // Pairs share an updated_at, so the id tiebreaker is exercised on page boundaries.
          const initial = Array.from({ length: 23 }, (_, i) =>
            task(org, { updatedAt: at(`2026-11-01T10:${String(Math.floor(i / 2)).padStart(2, "0")}:00Z`) }),
          )
          yield* Effect.forEach(initial, repo.insert, { discard: true })
          const seen: Array<Task> = []
          let cursor: string | null | undefined
          let inserted = 0
          do {
            // A cursor that does not advance would page forever; 23 rows in pages of 4 need far fewer.
            assert.isBelow(inserted, 40, "pagination terminates")
            const page = yield* query.list({
              organizationId: org,
              filter: {},
              limit: 4,
              ...(cursor ? { cursor } : {}),
            })
            seen.push(...page.items)
            cursor = page.nextCursor
            // A newer row (lands before the cursor) and an older one (after it) arrive between pages.
            inserted += 2
            yield* repo.insert(task(org, { updatedAt: at("2026-11-02T00:00:00Z") }))
            yield* repo.insert(task(org, { updatedAt: at(`2026-10-01T00:${String(inserted).padStart(2, "0")}:00Z`) }))
          } while (cursor !== null)
          const seenIds = seen.map((t) => t.id)
          assert.strictEqual(new Set(seenIds).size, seenIds.length, "no row is visited twice")
          for (const t of initial) assert.include(seenIds, t.id)
          const keys = seen.map((t) => `${t.updatedAt.epochMilliseconds.toString().padStart(15, "0")}|${t.id}`)
          assert.deepStrictEqual(keys, [...keys].sort().reverse(), "newest first, then by id")
        }),
      )

      it.effect("pages one assignee's tasks in both orders, following every write of their assignees and times", () =>
        Effect.gen(function* () {
          const repo = yield* TaskRepository
          const query = yield* TaskQuery
          const org = yield* organization()
          const ana = Assignee.cases.Email.make({ email: "ana@clinic.test" })
          const bo = Assignee.cases.User.make({ id: UserId.make("u-bo") })
          const minute = (m: number) => at(`2026-11-01T10:${String(m).padStart(2, "0")}:00Z`)
          // Ana holds every third task, some beside Bo (a task listed under both keys is still one row of hers).
          const stored = Array.from({ length: 18 }, (_, i) =>
            task(org, {
              updatedAt: minute(Math.floor(i / 2)),
              assignees: i % 3 === 0 ? (i % 2 === 0 ? [ana, bo] : [ana]) : [bo],
            }),
          )
          yield* repo.insertMany(stored)
          const pages = Effect.fn("pages")(function* (filter: TaskListFilter, sort: "updated-desc" | "updated-asc") {
            const seen: Array<Task> = []
            let cursor: string | null | undefined
            do {
              const page = yield* query.list({
                organizationId: org,
                filter,
                sort,
                limit: 2,
                ...(cursor ? { cursor } : {}),
              })
              seen.push(...page.items)
              cursor = page.nextCursor
            } while (cursor !== null && seen.length < 100)
            return seen
          })
          const key = (t: Task) => `${t.updatedAt.epochMilliseconds.toString().padStart(15, "0")}|${t.id}`
          const expected = (holds: (t: Task) => boolean, tasks: ReadonlyArray<Task>) =>
            tasks.filter(holds).map(key).sort().reverse()
          const hers = (t: Task) => t.assignees.some((a) => a._tag === "Email" && a.email === "ana@clinic.test")
          const check = Effect.fn("check")(function* (tasks: ReadonlyArray<Task>) {
            const newest = yield* pages({ assignees: [ana] }, "updated-desc")
            assert.deepStrictEqual(newest.map(key), expected(hers, tasks), "newest first, each of hers once")
            const oldest = yield* pages({ assignees: [ana, ana] }, "updated-asc")
            assert.deepStrictEqual(oldest.map(key), expected(hers, tasks).reverse(), "oldest first, the same rows")
            // Ana and Bo together: a task holding both is one row.
            const either = yield* pages({ assignees: [ana, bo] }, "updated-desc")
            assert.strictEqual(either.length, tasks.length)
            // What the triggers keep is exactly what the tasks say, entry for entry.
            const sql = yield* SqlClient
            const kept = yield* sql<{ readonly entry: string }>`
              SELECT task_id || ' ' || assignee_key || ' ' || updated_at::text AS entry FROM task_assignees
              WHERE organization_id = ${org} ORDER BY 1`
            const derived = yield* sql<{ readonly entry: string }>`
              SELECT DISTINCT t.id || ' ' || k || ' ' || t.updated_at::text AS entry
              FROM tasks t, unnest(t.assignee_keys) AS k WHERE t.organization_id = ${org} ORDER BY 1`
            assert.deepStrictEqual(kept, derived)
          })
          yield* check(stored)
          // A task moved to Ana and made newest, one taken from her, one edited without a change of assignee.
          const current = new Map(stored.map((t) => [t.id, t]))
          const write = Effect.fn("write")(function* (t: Task, change: Partial<Task>) {
            const next = yield* repo.update(new Task({ ...t, ...change }), t.version)
            current.set(next.id, next)
          })
          const [given, taken, touched] = [stored[1], stored[3], stored[6]]
          if (given === undefined || taken === undefined || touched === undefined) return assert.fail("seeded")
          yield* write(given, { assignees: [ana], updatedAt: minute(30) })
          yield* write(taken, { assignees: [bo], updatedAt: minute(31) })
          yield* write(touched, { title: Title.make("Renamed"), updatedAt: minute(0) })
          // A page of merged tasks in one statement, as a pull writes them.
          const merged = [stored[9], stored[12]].flatMap((t) => (t === undefined ? [] : [t]))
          yield* repo.updateMany(
            merged.map((t) => ({
              task: new Task({ ...t, assignees: [bo], updatedAt: minute(40) }),
              expectedVersion: t.version,
            })),
          )
          for (const t of merged) current.set(t.id, yield* repo.get(org, t.id))
          yield* check([...current.values()])
          assert.include((yield* pages({ assignees: [ana] }, "updated-desc"))[0]?.id, given.id, "moved to the front")
          // A task deleted outright (no code path does today, an operator's hand might) leaves no entry behind.
          yield* (yield* SqlClient)`DELETE FROM tasks WHERE id = ${given.id}`
          current.delete(given.id)
          yield* check([...current.values()])
        }),
      )

      it.effect("hands out the same JSON undecoded as decoding and encoding the tasks would, cursor included", () =>
        Effect.gen(function* () {
          const query = yield* TaskQuery
          const { org, ids } = yield* seed()
          // Notes and instants of every kind: a link synced, one tombstoned, a closed task.
          const repo = yield* TaskRepository
          const noted = yield* repo.get(org, ids.payer as never)
          yield* repo.update(
            { ...noted, closedAt: at("2026-11-02T08:30:00.123Z"), notes: [note] } as Task,
            noted.version,
          )
          const request = { organizationId: org, filter: {}, limit: 3 }
          const decoded = yield* query.list(request)
          const encoded = yield* query.listEncoded(request)
          // The encoded rows carry the inbox facts beside the task; the rest is the task's own JSON.
          const bare = (items: typeof encoded.items): ReadonlyArray<unknown> =>
            items.map((row) => {
              const { inbox: _, ...task } = row as Record<string, unknown>
              return task
            })
          assert.deepStrictEqual(
            bare(encoded.items),
            decoded.items.map((t) => encodeTask(t)),
          )
          assert.strictEqual(encoded.nextCursor, decoded.nextCursor)
          const next = yield* query.listEncoded({ ...request, cursor: encoded.nextCursor ?? "" })
          assert.deepStrictEqual(
            bare(next.items),
            (yield* query.list({ ...request, cursor: decoded.nextCursor ?? "" })).items.map((t) => encodeTask(t)),
          )
        }),
      )

      it.effect("writes the page size into the statement, so its prepared plan can be reused", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient
          const org = yield* organization()
          const ana = Assignee.cases.Email.make({ email: "ana@clinic.test" })
          for (const filter of [{}, { statuses: ["open" as const] }, { assignees: [ana] }]) {
            const [text, params] = (yield* pageQuery(sql, { organizationId: org, filter, limit: 37 })).compile()
            // One row more than the page: 38, in the text; a bound 38 would be re-planned on every execution.
            assert.match(text, /LIMIT 38\b/)
            assert.notMatch(text, /LIMIT \$/)
            assert.notInclude(params, 38)
          }
        }),
      )

      it.effect("refuses a cursor it did not issue", () =>
        Effect.gen(function* () {
          const query = yield* TaskQuery
          const org = yield* organization()
          for (const cursor of ["not-a-cursor", Buffer.from('["2026-11-01", "x"]').toString("base64url")]) {
            const error = yield* Effect.flip(query.list({ organizationId: org, filter: {}, cursor }))
            assert.strictEqual(error._tag, "InvalidCursor")
          }
        }),
      )
    })
  })
}
