// The console's inbox filters and row facts on every backend: overdue (due before now and not finished), an open
// conflict, a dead-lettered push — each narrows to exactly its tasks, its negation to the rest, keyset pages walk the
// filtered set once — and each encoded row says whether it is overdue, conflicted or failed, and which side (local or
// vendor) made its last change.
import { assert, describe, layer } from "@effect/vitest"
import { Due } from "@taskbridge/domain/Due"
import type { ConnectionId, OrganizationId } from "@taskbridge/domain/Ids"
import { TaskRepository } from "@taskbridge/domain/ports/Repositories"
import type { Task } from "@taskbridge/domain/Task"
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { type InboxFacts, type TaskListFilter, TaskQuery } from "../src/TaskQuery.ts"
import { backends, stack } from "./backends.ts"
import { at, connection, link, organization, task } from "./fixtures.ts"

const seed = Effect.fn("seed")(function* () {
  const repo = yield* TaskRepository
  const sql = yield* SqlClient
  const org = yield* organization()
  const candid = yield* connection(org, "candid")
  const specs: Record<string, Partial<Task>> = {
    late: { due: Due.cases.Instant.make({ at: at("2001-01-01T00:00:00Z") }) },
    lateButDone: { due: Due.cases.Instant.make({ at: at("2001-01-01T00:00:00Z") }), status: "done" },
    future: { due: Due.cases.Instant.make({ at: at("2999-01-01T00:00:00Z") }) },
    undated: {},
    conflicted: {},
    failed: { due: Due.cases.Instant.make({ at: at("2002-01-01T00:00:00Z") }) },
    resolved: {},
  }
  const ids: Record<string, string> = {}
  let minute = 0
  for (const [name, spec] of Object.entries(specs)) {
    minute += 1
    const stored = task(org, {
      ...spec,
      links: [link(candid, "candid")],
      updatedAt: at(`2026-11-01T10:${String(minute).padStart(2, "0")}:00Z`),
    })
    yield* repo.insert(stored)
    ids[name] = stored.id
  }
  const conflict = (taskId: string, state: string) => sql`
    INSERT INTO conflicts (organization_id, task_id, connection_id, field, base, local, remote, state)
    VALUES (${org}, ${taskId}, ${candid}, 'title', '"a"', '"b"', '"c"', ${state})`
  yield* conflict(ids.conflicted ?? "", "open")
  yield* conflict(ids.resolved ?? "", "resolved")
  const outbox = (taskId: string, state: string) => sql`
    INSERT INTO outbox (organization_id, connection_id, task_id, record_id, operation, change, fields, state)
    VALUES (${org}, ${candid}, ${taskId}, 'rec', 'update', '{}', '{}', ${state})`
  yield* outbox(ids.failed ?? "", "dead")
  yield* outbox(ids.resolved ?? "", "sent")
  const history = (taskId: string, origin: string, actor: string | null, connectionId: ConnectionId | null) => sql`
    INSERT INTO history (organization_id, task_id, origin, actor, connection_id, changes)
    VALUES (${org}, ${taskId}, ${origin}, ${actor}, ${connectionId}, '[]')`
  yield* history(ids.late ?? "", "api", "Ana", null)
  yield* history(ids.late ?? "", "pull", null, candid)
  yield* history(ids.future ?? "", "pull", null, candid)
  yield* history(ids.future ?? "", "api", "Ben", null)
  return { org, ids, candid }
})

const listAll = Effect.fn("listAll")(function* (org: OrganizationId, filter: TaskListFilter, limit = 200) {
  const query = yield* TaskQuery
  const seen: Array<string> = []
  let cursor: string | undefined
  do {
    const page = yield* query.list({ organizationId: org, filter, limit, ...(cursor === undefined ? {} : { cursor }) })
    seen.push(...page.items.map((t) => t.id as string))
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return seen.sort()
})

const names = (ids: Record<string, string>, wanted: ReadonlyArray<string>) =>
  wanted.map((name) => ids[name] ?? name).sort()

for (const backend of backends) {
  describe(`the inbox's console filters [${backend.name}]`, () => {
    layer(stack(backend), { excludeTestServices: true })((it) => {
      it.effect("narrows to overdue, conflicted and failed work items, and their negations to the rest", () =>
        Effect.gen(function* () {
          const { org, ids } = yield* seed()
          const other = yield* seed()
          const all = Object.keys(ids)
          const cases: ReadonlyArray<readonly [TaskListFilter, ReadonlyArray<string>]> = [
            [{ overdue: true }, ["late", "failed"]],
            [{ overdue: false }, all.filter((n) => n !== "late" && n !== "failed")],
            [{ hasConflict: true }, ["conflicted"]],
            [{ hasConflict: false }, all.filter((n) => n !== "conflicted")],
            [{ hasFailedPush: true }, ["failed"]],
            [{ hasFailedPush: false }, all.filter((n) => n !== "failed")],
            [{ overdue: true, hasFailedPush: true }, ["failed"]],
            [{ overdue: true, hasConflict: true }, []],
          ]
          for (const [filter, expected] of cases) {
            assert.deepStrictEqual(yield* listAll(org, filter), names(ids, expected), JSON.stringify(filter))
            // Pages of one walk the same set, each row once.
            assert.deepStrictEqual(
              yield* listAll(org, filter, 1),
              names(ids, expected),
              `${JSON.stringify(filter)} by 1`,
            )
          }
          // Another organization's conflicts and dead letters filter nothing into this one.
          assert.deepStrictEqual(yield* listAll(other.org, { hasConflict: true }), names(other.ids, ["conflicted"]))
        }),
      )

      it.effect("says per row whether it is overdue, conflicted or failed, and which side changed it last", () =>
        Effect.gen(function* () {
          const { org, ids, candid } = yield* seed()
          const page = yield* (yield* TaskQuery).listEncoded({ organizationId: org, filter: {}, limit: 200 })
          const facts = new Map(
            page.items.map((row) => [String((row as unknown as { id: string }).id), row.inbox as InboxFacts]),
          )
          const of = (name: string) => facts.get(ids[name] ?? "")
          assert.deepStrictEqual(
            all(ids).map((name) => [name, of(name)?.overdue, of(name)?.hasConflict, of(name)?.hasFailedPush]),
            [
              ["late", true, false, false],
              ["lateButDone", false, false, false],
              ["future", false, false, false],
              ["undated", false, false, false],
              ["conflicted", false, true, false],
              ["failed", true, false, true],
              ["resolved", false, false, false],
            ],
          )
          assert.deepStrictEqual(
            { ...of("late")?.lastChange, at: undefined },
            { side: "vendor", origin: "pull", actor: null, connectionId: candid, at: undefined },
          )
          assert.deepStrictEqual(
            { ...of("future")?.lastChange, at: undefined },
            { side: "local", origin: "api", actor: "Ben", connectionId: null, at: undefined },
          )
          assert.strictEqual(of("undated")?.lastChange, null)
        }),
      )
    })
  })
}

const all = (ids: Record<string, string>) => Object.keys(ids)
