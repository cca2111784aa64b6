// The list view at 1,000,000 tasks on real PostgreSQL: first EXPLAIN ANALYZE proves no filter scans the tasks table,
// then each filter's first page (and a page deep behind a cursor) is timed through TaskQuery.list, decoding included.
// Needs TEST_DATABASE_URL (or DATABASE_URL): it seeds a scratch database on that server and drops it afterwards.
import { ConnectionId, OrganizationId, UserId } from "@taskbridge/domain/Ids"
import { DateTime, Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { test } from "vitest"
import * as Database from "../src/Database.ts"
import * as TaskQuery from "../src/TaskQuery.ts"
import { connectionOf, org, seed, taskCount } from "../src/testing/Seed.ts"
import { scratchDatabase } from "../test/scratch.ts"

const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL
const organizationId = OrganizationId.make(org)
// Half-way down the organization's list: keyset pages cost the same at any depth, which OFFSET could not.
const deepPage = `page ${Math.floor(taskCount / 100) + 1} behind a cursor`

const cases: Record<string, TaskQuery.TaskListFilter> = {
  "newest first, no filter": {},
  "status open": { statuses: ["open"] },
  "status waiting or in progress": { statuses: ["waiting", "in_progress"] },
  "vendor spry": { vendors: ["spry"] },
  "connection candid": { connections: [ConnectionId.make(connectionOf("candid"))] },
  "assignee (1 of 500)": { assignees: [{ _tag: "User", id: UserId.make("u42") }] },
  "due in one week": {
    dueFrom: DateTime.makeUnsafe("2026-09-01T00:00:00Z"),
    dueBefore: DateTime.makeUnsafe("2026-09-08T00:00:00Z"),
  },
  "text (≈45 matches)": { text: "patient4242" },
  "text prefix, common": { text: "resub" },
  // The console's filters: few open conflicts and dead letters (seeded below), overdue a large share.
  "has an open conflict (≈900)": { hasConflict: true },
  "has a failed push (≈450)": { hasFailedPush: true },
  overdue: { overdue: true },
  // (Not spry: in this seed no spry task has a due, and a combination that matches nothing walks the whole index.)
  "overdue, open, candid": { overdue: true, statuses: ["open"], vendors: ["candid"] },
  "status + vendor + assignee": {
    statuses: ["open"],
    vendors: ["koreai"],
    assignees: [{ _tag: "User", id: UserId.make("u7") }],
  },
}

interface PlanNode {
  readonly "Node Type": string
  readonly "Relation Name"?: string
  readonly "Index Name"?: string
  readonly Plans?: ReadonlyArray<PlanNode>
}

const nodes = (node: PlanNode): ReadonlyArray<PlanNode> => [node, ...(node.Plans ?? []).flatMap(nodes)]

/** Runs EXPLAIN ANALYZE on the exact page query and fails on a sequential scan of tasks or links. */
const explain = Effect.fn("bench.explain")(function* (name: string, request: TaskQuery.TaskListRequest) {
  const sql = yield* SqlClient
  const query = yield* TaskQuery.pageQuery(sql, request)
  const [row] = yield* sql<{ "QUERY PLAN": ReadonlyArray<{ Plan: PlanNode; "Execution Time": number }> }>`
    EXPLAIN (ANALYZE, FORMAT JSON) ${query}`
  const plan = row?.["QUERY PLAN"][0]
  if (plan === undefined) return yield* Effect.die(`no plan for ${name}`)
  const scans = nodes(plan.Plan).filter((n) => n["Node Type"].includes("Scan"))
  const seq = scans.filter(
    (n) => n["Node Type"] === "Seq Scan" && ["tasks", "links"].includes(n["Relation Name"] ?? ""),
  )
  const used = [...new Set(scans.map((n) => n["Index Name"] ?? `${n["Node Type"]} ${n["Relation Name"] ?? ""}`))]
  console.log(`${name.padEnd(32)} ${plan["Execution Time"].toFixed(2).padStart(8)} ms  ${used.join(", ")}`)
  if (seq.length > 0)
    return yield* Effect.die(`${name}: sequential scan of ${seq.map((n) => n["Relation Name"]).join(", ")}`)
})

/** Open conflicts on every 1,000th of the organization's tasks and dead letters on every 2,000th. */
const seedConsoleRows = Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`
    INSERT INTO conflicts (organization_id, task_id, connection_id, field, base, local, remote)
    SELECT t.organization_id, t.id, l.connection_id, 'title', '"a"', '"b"', '"c"'
    FROM (SELECT id, organization_id, row_number() OVER (ORDER BY id) AS n FROM tasks WHERE organization_id = ${org}) t
    JOIN LATERAL (SELECT connection_id FROM links WHERE task_id = t.id LIMIT 1) l ON true
    WHERE t.n % 1000 = 0`
  yield* sql`
    INSERT INTO outbox (organization_id, connection_id, task_id, record_id, operation, change, fields, state)
    SELECT t.organization_id, l.connection_id, t.id, 'rec', 'update', '{}', '{}', 'dead'
    FROM (SELECT id, organization_id, row_number() OVER (ORDER BY id) AS n FROM tasks WHERE organization_id = ${org}) t
    JOIN LATERAL (SELECT connection_id FROM links WHERE task_id = t.id LIMIT 1) l ON true
    WHERE t.n % 2000 = 0`
  const [counted] = yield* sql<{ conflicts: number; dead: number }>`
    SELECT (SELECT count(*)::int FROM conflicts) AS conflicts, (SELECT count(*)::int FROM outbox) AS dead`
  console.log(`seeded ${counted?.conflicts} open conflicts and ${counted?.dead} dead letters`)
  yield* sql`ANALYZE conflicts`
  yield* sql`ANALYZE outbox`
})

/** Seeds, then EXPLAINs every case (failing on a sequential scan); returns a cursor half-way down the list. */
const prepare = Effect.gen(function* () {
  const sql = yield* SqlClient
  const started = Date.now()
  yield* seed
  yield* seedConsoleRows
  console.log(`seeded ${taskCount} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s; EXPLAIN ANALYZE:`)
  const [row] = yield* sql<{ at: string; id: string }>`
    SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, id FROM tasks
    WHERE organization_id = ${org} ORDER BY updated_at DESC, id DESC OFFSET ${Math.floor(taskCount / 2)} LIMIT 1`
  const cursor = TaskQuery.encodeCursor(row?.at ?? "", row?.id ?? "")
  for (const [name, filter] of Object.entries(cases)) yield* explain(name, { organizationId, filter })
  yield* explain(deepPage, { organizationId, filter: {}, cursor })
  return cursor
})

if (url === undefined) {
  test("TaskQuery at 1,000,000 tasks: not measured, set TEST_DATABASE_URL (or DATABASE_URL) to a PostgreSQL server", () => {
    console.warn("bench: no PostgreSQL configured (TEST_DATABASE_URL / DATABASE_URL), nothing was seeded or measured")
  })
} else {
  // Everything in one test: its timeout covers the seeding, and `finally` drops the scratch database however it ends.
  test("TaskQuery.list at 1,000,000 tasks, 50 per page", { timeout: 30 * 60_000 }, async ({ bench }) => {
    const runtime = ManagedRuntime.make(
      TaskQuery.layer.pipe(Layer.provideMerge(Database.migrated(scratchDatabase(url, "tb_bench")))),
    )
    const page = (request: Omit<TaskQuery.TaskListRequest, "organizationId">) => () =>
      runtime.runPromise(Effect.flatMap(TaskQuery.TaskQuery, (q) => q.list({ organizationId, ...request })))
    try {
      const cursor = await runtime.runPromise(prepare)
      await bench.compare(
        ...Object.entries(cases).map(([name, filter]) => bench(name, page({ filter }))),
        bench(deepPage, page({ filter: {}, cursor })),
        { time: 1500, warmupIterations: 3 },
      )
    } finally {
      await runtime.dispose()
    }
  })
}
