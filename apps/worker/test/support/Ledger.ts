// The exactly-once bookkeeping of the worker suites: local edits made through the API-shaped client, and the two
// checks that matter after crashes and outages — every vendor record is one local task (none lost, none doubled)
// and every edit reached its emulator as exactly one applied PATCH (the request log is the vendor's own witness).
import { type ConnectionId, TaskId } from "@taskbridge/domain/Ids"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { SyncEngine } from "@taskbridge/sync/Engine"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { type Cluster, organizationId } from "./Cluster.ts"

export interface Edit {
  readonly connection: number
  readonly recordId: string
  readonly status: string
  /** The emulator's request log position before the edit, so its PATCH is looked for from there on. */
  readonly since: number
  /** The outbox row and task of its push (they name the PushChange execution). */
  readonly outboxId: string
  readonly connectionId: ConnectionId
  readonly taskId: TaskId
}

/** The record ids the connection of emulator `i` syncs: its first organization's tasks (Candid never deletes). */
export const vendorRecords = (cluster: Cluster, i: number): ReadonlyArray<string> => {
  const { tasks, ids } = cluster.emulators[i]?.state().store ?? { tasks: undefined, ids: undefined }
  if (tasks === undefined || ids === undefined) return []
  const out: Array<string> = []
  for (let row = 0; row < tasks.length; row++) if (tasks.cols.org[row] === 0) out.push(ids.task.encode(row))
  return out
}

/**
 * Edits the status of `perConnection` synced tasks of every connection that have not been edited before (one edit
 * per record, so one applied PATCH per record is the exactly-once claim) and dispatches their pushes.
 */
export const editTasks = (cluster: Cluster, perConnection: number, edited: ReadonlySet<string>) =>
  cluster.client.runPromise(
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const engine = yield* SyncEngine
      const dispatcher = yield* Dispatcher
      const edits: Array<Edit> = []
      for (const i of cluster.connected) {
        const connectionId = cluster.connections[i]
        const rows = yield* sql<{ id: string; status: string; version: number; recordId: string }>`
          SELECT t.id, t.status, t.version, l.record_id AS "recordId" FROM tasks t JOIN links l ON l.task_id = t.id
          WHERE l.connection_id = ${connectionId} AND t.status IN ('open', 'in_progress', 'waiting')
          ORDER BY l.record_id LIMIT ${perConnection + edited.size}`
        const emulator = cluster.emulators[i]
        if (emulator === undefined) continue
        for (const row of rows.filter((r) => !edited.has(r.recordId)).slice(0, perConnection)) {
          // Moves allowed from each open state: the canonical machine is open → in_progress ⇄ waiting.
          const status = row.status === "in_progress" ? "waiting" : "in_progress"
          const since = emulator.control.requests.nextSeq()
          const { queued } = yield* engine.update({
            organizationId,
            id: TaskId.make(row.id),
            expectedVersion: row.version,
            patch: { status },
            actor: "scale-out test",
            origin: "api",
          })
          yield* dispatcher.push(queued)
          for (const entry of queued) {
            edits.push({
              connection: i,
              recordId: row.recordId,
              status,
              since,
              outboxId: entry.id,
              connectionId: entry.connectionId,
              taskId: TaskId.make(row.id),
            })
          }
        }
      }
      return edits
    }).pipe(Effect.orDie),
  )

/**
 * Applied PATCHes (2xx) per record of emulator `i`, over everything its log still holds, split in two. A second PATCH
 * of a record is a `resend` when the read that preceded it reached the vendor while the earlier PATCH was still
 * being held there unanswered (its process was killed waiting): the vendor really did not show the change yet, and a
 * vendor without conditional writes or idempotency keys cannot refuse the late one. Any other is a duplicate.
 */
const appliedPatches = (cluster: Cluster, i: number) => {
  const log = cluster.emulators[i]?.control.requests.list({ since: 0 }) ?? []
  const recordOf = (path: string) => path.split("?")[0]?.split("/").pop() ?? ""
  const counts = new Map<string, { applied: number; resends: number }>()
  const last = new Map<string, { readonly answeredAt: number }>()
  const lastRead = new Map<string, number>()
  for (const entry of log) {
    const id = recordOf(entry.path)
    if (entry.method === "GET") lastRead.set(id, Date.parse(entry.at))
    if (entry.method !== "PATCH" || entry.status === null || entry.status >= 300) continue
    const seen = counts.get(id) ?? { applied: 0, resends: 0 }
    const before = last.get(id)
    const readAt = lastRead.get(id)
    const resend = before !== undefined && readAt !== undefined && readAt < before.answeredAt
    counts.set(id, { applied: seen.applied + 1, resends: seen.resends + (resend ? 1 : 0) })
    last.set(id, { answeredAt: Date.parse(entry.at) + (entry.durationMs ?? 0) })
  }
  return counts
}

const describePatches = (cluster: Cluster, i: number, id: string) =>
  (cluster.emulators[i]?.control.requests.list({ since: 0 }) ?? [])
    .filter((r) => r.path.split("?")[0]?.endsWith(`/${id}`))
    .map(
      (r) => `#${r.seq} ${r.method} ${r.status ?? "no answer"} ${r.method === "PATCH" ? JSON.stringify(r.body) : ""}`,
    )
    .join("; ")

export interface Audit {
  readonly records: number
  readonly missing: number
  /** Local tasks beyond one per vendor record, plus links to records the vendor does not have. */
  readonly duplicates: number
  readonly edits: number
  /** Edits with no applied PATCH yet. */
  readonly unpushed: number
  /** Applied PATCHes beyond one per edit, plus PATCHes of records never edited; resends not counted. */
  readonly duplicateWrites: number
  /** Same PATCH sent again because the read before it reached the vendor while a killed process's one was held. */
  readonly resends: number
  /** Outbox rows not yet `sent`. */
  readonly unsent: number
  /** What each duplicate was, for the failure message. */
  readonly findings: ReadonlyArray<string>
}

/** Local state against every emulator: the figures a test asserts on and a soak prints. */
export const audit = async (cluster: Cluster, edits: ReadonlyArray<Edit>): Promise<Audit> => {
  const local = await cluster.client.runPromise(
    SqlClient.use(
      (sql) => sql<{ connectionId: string; recordId: string; tasks: number }>`
        SELECT l.connection_id AS "connectionId", l.record_id AS "recordId", count(t.id)::int AS tasks
        FROM links l LEFT JOIN tasks t ON t.id = l.task_id
        WHERE l.organization_id = ${organizationId} GROUP BY l.connection_id, l.record_id`,
    ),
  )
  const [{ orphans = 0, unsent = 0 } = {}] = await cluster.client.runPromise(
    SqlClient.use(
      (sql) => sql<{ orphans: number; unsent: number }>`SELECT
        (SELECT count(*)::int FROM tasks t WHERE t.organization_id = ${organizationId}
          AND NOT EXISTS (SELECT 1 FROM links l WHERE l.task_id = t.id)) AS orphans,
        (SELECT count(*)::int FROM outbox o WHERE o.organization_id = ${organizationId} AND o.state <> 'sent') AS unsent`,
    ),
  )
  let records = 0
  let missing = 0
  let duplicates = orphans
  let unpushed = 0
  let duplicateWrites = 0
  let resends = 0
  const findings: Array<string> = []
  for (const i of cluster.connected) {
    const connectionId = cluster.connections[i]
    const expected = new Set(vendorRecords(cluster, i))
    const mine = local.filter((row) => row.connectionId === connectionId)
    const seen = new Map(mine.map((row) => [row.recordId, row.tasks]))
    records += expected.size
    for (const id of expected) {
      const tasks = seen.get(id) ?? 0
      if (tasks === 0) missing++
      else duplicates += tasks - 1
      if (tasks > 1) findings.push(`connection ${i}: record ${id} is ${tasks} tasks`)
    }
    const strangers = mine.filter((row) => !expected.has(row.recordId))
    duplicates += strangers.length
    for (const row of strangers) findings.push(`connection ${i}: link to ${row.recordId}, which the vendor lacks`)
    const patches = appliedPatches(cluster, i)
    const editedHere = new Set(edits.filter((e) => e.connection === i).map((e) => e.recordId))
    for (const [id, { applied, resends: late }] of patches) {
      const extra = (editedHere.has(id) ? applied - 1 : applied) - late
      duplicateWrites += Math.max(0, extra)
      resends += late
      if (extra > 0) {
        findings.push(`connection ${i}: record ${id} PATCHed ${applied} times (${describePatches(cluster, i, id)})`)
      }
    }
    for (const id of editedHere) if ((patches.get(id)?.applied ?? 0) === 0) unpushed++
  }
  return { records, missing, duplicates, edits: edits.length, unpushed, duplicateWrites, resends, unsent, findings }
}

/** True once nothing is missing or unpushed; a test then asserts the audit has no duplicates. */
export const settled = (a: Audit) => a.missing === 0 && a.unpushed === 0 && a.unsent === 0

/** The audit once it has settled (every record linked, every edit at its vendor), waited for within `context`. */
export const settledAudit = (
  cluster: Cluster,
  edits: ReadonlyArray<Edit>,
  context: { readonly timeoutMs: number; readonly context: () => string },
) =>
  eventually(
    "every edit at its vendor",
    async () => {
      const a = await audit(cluster, edits)
      return settled(a) ? a : undefined
    },
    context,
  )

/**
 * After the database came back from an outage or restart: workers that exited are started again (an operator's
 * supervisor would), every backfill completes (one the outage failed is pulled again at once, counted), and every
 * edit reaches its vendor. Returns the audit and what recovery took.
 */
export const recoverAfterOutage = async (
  cluster: Cluster,
  slots: ReadonlyArray<string>,
  edits: ReadonlyArray<Edit>,
  context: { readonly timeoutMs: number; readonly context: () => string },
) => {
  const exited = slots.filter((s) => {
    const w = cluster.workers.get(s)
    return w !== undefined && (w.child.exitCode !== null || w.child.signalCode !== null)
  })
  for (const slot of exited) await cluster.startWorker(slot)
  let retried = 0
  await eventually(
    "every backfill",
    async () => {
      const done = await cluster.allBackfilled()
      if (done === undefined) retried += await cluster.retryFailedBackfills()
      return done
    },
    { ...context, intervalMs: 2_000 },
  )
  const result = await settledAudit(cluster, edits, context)
  return { exited, retried, result }
}
