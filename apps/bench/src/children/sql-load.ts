// The API benchmark's baseline: the same reads and writes as plain SQL on a pool of the driver's default size (the
// API's own), at the same concurrency and for the same time — what the database alone costs for those rows.
import * as Database from "@taskbridge/db/Database"
import { taskProjection } from "@taskbridge/db/internal/TaskColumns"
import { Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { baselineUpdateTarget, listVariants } from "../ApiWorkload.ts"
import { childInput, report, step } from "../Child.ts"
import { blocksOf } from "../Stats.ts"

export interface SqlLoadInput {
  readonly env: Readonly<Record<string, string>>
  readonly organization: string
  readonly concurrency: number
  /** One step per block, in order; the first starts at once, each later one when the parent asks. */
  readonly blocks: ReadonlyArray<{ readonly kind: "list" | "update"; readonly seconds: number }>
}
const input = childInput<SqlLoadInput>()
Object.assign(process.env, input.env)
const runtime = ManagedRuntime.make(Database.layerClient.pipe(Layer.orDie))
const sql = await runtime.runPromise(Effect.service(SqlClient))
const projection = taskProjection(sql)

// An assignee's rows are read the way the schema serves them best by hand too: from `task_assignees` (migration 11)
// in its order, as the API's own query does.
const list = (i: number) => {
  const variant = listVariants[i % listVariants.length] ?? {}
  const where = [
    sql`t.organization_id = ${input.organization}`,
    sql`t.deleted_at IS NULL`,
    ...(variant.statuses === undefined ? [] : [sql`t.status = ANY(${variant.statuses}::text[])`]),
  ]
  if (variant.assigneeKey === undefined)
    return sql`SELECT ${projection} AS task FROM tasks t WHERE ${sql.and(where)}
               ORDER BY t.updated_at DESC, t.id DESC LIMIT 50`
  const mine = [sql`a.organization_id = ${input.organization}`, sql`a.assignee_key = ${variant.assigneeKey}`]
  return sql`SELECT ${projection} AS task FROM task_assignees a JOIN tasks t ON t.id = a.task_id
             WHERE ${sql.and([...mine, ...where])} ORDER BY a.updated_at DESC, a.task_id DESC LIMIT 50`
}

const update = (i: number) => {
  const target = baselineUpdateTarget(i)
  return sql`UPDATE tasks SET assignees = ${JSON.stringify([{ _tag: "User", id: "u-bench" }])}::jsonb,
               assignee_keys = ARRAY['user:u-bench'], version = version + 1, updated_at = now()
             WHERE organization_id = ${input.organization} AND id = ${target} RETURNING version`
}

const loads = {
  list: blocksOf(input.concurrency, (n) => runtime.runPromise(list(n))),
  update: blocksOf(input.concurrency, (n) => runtime.runPromise(update(n))),
}
for (const [i, block] of input.blocks.entries()) {
  const measured = await loads[block.kind](block.seconds)
  // Microseconds are plenty, and keep a block of 20,000 writes' samples to one short line.
  const result = { samples: measured.samples.map((ms) => Math.round(ms * 1000) / 1000), seconds: measured.seconds }
  if (i === input.blocks.length - 1) {
    await runtime.dispose()
    report(result)
  } else await step(result)
}
