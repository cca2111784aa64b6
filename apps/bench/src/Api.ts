// The API benchmark on PostgreSQL at 1,000,000 work items: `tasks.list` (filtered, 50 rows, newest first) and
// `tasks.update` under 32 concurrent clients over HTTP, against the API process the apps run (in a child), and the
// same rows read (and rows of the same kind written) by plain SQL on a pool of the same size (another child) as the
// baseline. The two sides run in alternating blocks, so both see the same share of the machine's drift.
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import * as Secrets from "@taskbridge/db/Secrets"
import { type Backend, repositories } from "@taskbridge/db/testing/Backends"
import { connectionOf, org, seedTasks } from "@taskbridge/db/testing/Seed"
import { OrganizationId } from "@taskbridge/domain/Ids"
import { Effect, Exit, Layer, ManagedRuntime, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { apiUpdateTarget, listInput } from "./ApiWorkload.ts"
import { openChild, startChild } from "./Child.ts"
import type { SqlLoadInput } from "./children/sql-load.ts"
import { httpClient } from "./Http.ts"
import { alternate, type Block, blocksOf, closedLoop, type Latency, merged } from "./Stats.ts"

export interface ApiFigures {
  readonly tasks: number
  readonly concurrency: number
  readonly seconds: number
  /** How many blocks of each side the `seconds` were split into, alternating API and plain SQL (absent in files
   * written before the sides alternated, as are `blockP99s`). */
  readonly blocks?: number
  readonly list: Comparison
  readonly update: Comparison & { readonly errors: number }
}

export interface Comparison {
  readonly api: Latency
  readonly sql: Latency
  readonly p99Ratio: number
  /** Each block's p99 (ms), API and plain SQL, in the order they ran: how far the machine moved within the run. */
  readonly blockP99s?: { readonly api: ReadonlyArray<number>; readonly sql: ReadonlyArray<number> }
}

const key = new Uint8Array(32).fill(13)

const progress = (line: string) => console.log(`bench:   api: ${line}`)

/** Each side's measuring time is split into this many blocks, alternating API and plain SQL (ABBA: even). */
const blocks = 4
/** Each side's warm-up before the first block (JIT, plans, pools, the pages the filters read). */
const warmUpSeconds = 5

const p99Of = (block: Block) => merged([block]).p99

/** Both sides' figures over all their blocks, and the ratio of their p99s. */
const compare = (sides: { readonly engine: ReadonlyArray<Block>; readonly baseline: ReadonlyArray<Block> }) => {
  const api = merged(sides.engine)
  const sql = merged(sides.baseline)
  return {
    api,
    sql,
    p99Ratio: +(api.p99 / Math.max(sql.p99, 0.01)).toFixed(2),
    blockP99s: { api: sides.engine.map(p99Of), sql: sides.baseline.map(p99Of) },
  }
}

export const apiBenchmark = async (
  postgres: Backend,
  options: { concurrency: number; seconds: number; tasks: number },
) => {
  const scope = Effect.runSync(Scope.make())
  try {
    const db = await Effect.runPromise(Scope.provide(scope)(postgres.fresh))
    const store = ManagedRuntime.make(repositories(db, key).pipe(Layer.orDie))
    const token = await store.runPromise(
      Effect.gen(function* () {
        yield* seedTasks(options.tasks)
        const sql = yield* SqlClient
        // Updates are queued, never sent: every connection is paused. Candid's gets settings its adapter can read
        // (the seed's credentials are a placeholder), since a local edit is validated against its linked vendors.
        const id = connectionOf("candid")
        const credentials = yield* (yield* Secrets.Secrets).encrypt(
          Redacted.make(JSON.stringify({ clientId: "bench", clientSecret: "bench" })),
          id,
        )
        yield* sql`UPDATE connections SET credentials = ${credentials},
                     options = ${JSON.stringify({ workQueueId: "bench-queue" })}::jsonb WHERE id = ${id}`
        yield* sql`UPDATE connections SET enabled = false`
        const issued = yield* (yield* OrganizationRepository).issueToken(OrganizationId.make(org), "bench", "operator")
        return Redacted.value(issued.token)
      }),
    )
    await store.dispose()
    progress(`${options.tasks} work items seeded`)
    const env = { ...db.env, TASKBRIDGE_SECRET_KEY: Buffer.from(key).toString("base64") }
    const api = await startChild("api-server", { env })
    const url = (api.ready as { url: string }).url
    progress("API ready; measuring")
    const client = httpClient(
      url,
      { authorization: `Bearer ${token}`, "content-type": "application/json" },
      options.concurrency,
    )
    let errors = 0
    const call = async (response: Promise<{ readonly ok: boolean }>) => {
      if (!(await response).ok) errors += 1
    }
    const list = (i: number) =>
      call(client.get(`/trpc/tasks.list?input=${encodeURIComponent(JSON.stringify(listInput(i)))}`))
    const update = (i: number) =>
      call(
        client.post(
          "/trpc/tasks.update",
          JSON.stringify({
            id: apiUpdateTarget(i),
            expectedVersion: 1,
            patch: { assignees: [{ _tag: "User", id: "u-bench" }] },
          }),
        ),
      )
    try {
      await closedLoop(options.concurrency, warmUpSeconds, list)
      const seconds = options.seconds / blocks
      // The baseline child stays up between its blocks (warm, as the API process is); its first block warms it up.
      const sql = openChild<Block>("sql-load", {
        env: db.env,
        organization: org,
        concurrency: options.concurrency,
        blocks: [
          { kind: "list", seconds: warmUpSeconds },
          ...Array.from({ length: blocks }, () => ({ kind: "list" as const, seconds })),
          ...Array.from({ length: blocks }, () => ({ kind: "update" as const, seconds })),
        ],
      } satisfies SqlLoadInput)
      await sql.next()
      const listBlock = blocksOf(options.concurrency, list)
      const lists = await alternate(blocks, () => listBlock(seconds), sql.next)
      const listErrors = errors
      const updateBlock = blocksOf(options.concurrency, update)
      const updates = await alternate(blocks, () => updateBlock(seconds), sql.next)
      const updateErrors = errors - listErrors
      if (listErrors > 0) throw new Error(`${listErrors} tasks.list calls failed`)
      return {
        tasks: options.tasks,
        concurrency: options.concurrency,
        seconds: options.seconds,
        blocks,
        list: compare(lists),
        update: { ...compare(updates), errors: updateErrors },
      } satisfies ApiFigures
    } catch (error) {
      // What the API printed says why it stopped answering (it is a child: its output is not on this console).
      progress(`failed; the API process's last output:\n${api.output().slice(-4000)}`)
      throw error
    } finally {
      client.close()
      await api.stop()
    }
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}
