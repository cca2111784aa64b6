// The API benchmark on PostgreSQL at 1,000,000 work items: `tasks.list` (filtered, 50 rows, newest first) and
// `tasks.update` under 32 concurrent clients over HTTP, against the API process the apps run (in a child), and the
// same rows read and written by plain SQL on a pool of the same size (another child) as the baseline.
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import * as Secrets from "@taskbridge/db/Secrets"
import { type Backend, repositories } from "@taskbridge/db/testing/Backends"
import { connectionOf, org, seedTasks } from "@taskbridge/db/testing/Seed"
import { OrganizationId } from "@taskbridge/domain/Ids"
import { Effect, Exit, Layer, ManagedRuntime, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { listInput, updateTarget } from "./ApiWorkload.ts"
import { runChild, startChild } from "./Child.ts"
import type { SqlLoadInput } from "./children/sql-load.ts"
import { httpClient } from "./Http.ts"
import { closedLoop, type Latency } from "./Stats.ts"

export interface ApiFigures {
  readonly tasks: number
  readonly concurrency: number
  readonly seconds: number
  readonly list: { readonly api: Latency; readonly sql: Latency; readonly p99Ratio: number }
  readonly update: { readonly api: Latency; readonly sql: Latency; readonly p99Ratio: number; readonly errors: number }
}

const key = new Uint8Array(32).fill(13)

const progress = (line: string) => console.log(`bench:   api: ${line}`)

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
            id: updateTarget(i),
            expectedVersion: 1,
            patch: { assignees: [{ _tag: "User", id: "u-bench" }] },
          }),
        ),
      )
    try {
      await closedLoop(options.concurrency, 2, list) // warm-up: JIT, plans, pool
      const apiList = await closedLoop(options.concurrency, options.seconds, list)
      const listErrors = errors
      const apiUpdate = await closedLoop(options.concurrency, options.seconds, update)
      const updateErrors = errors - listErrors
      const sqlInput = (kind: SqlLoadInput["kind"]): SqlLoadInput => ({
        env: db.env,
        organization: org,
        concurrency: options.concurrency,
        seconds: options.seconds,
        kind,
      })
      const sqlList = await runChild<Latency>("sql-load", sqlInput("list"))
      const sqlUpdate = await runChild<Latency>("sql-load", sqlInput("update"))
      const ratio = (a: Latency, b: Latency) => +(a.p99 / Math.max(b.p99, 0.01)).toFixed(2)
      if (listErrors > 0) throw new Error(`${listErrors} tasks.list calls failed`)
      return {
        tasks: options.tasks,
        concurrency: options.concurrency,
        seconds: options.seconds,
        list: { api: apiList, sql: sqlList, p99Ratio: ratio(apiList, sqlList) },
        update: { api: apiUpdate, sql: sqlUpdate, p99Ratio: ratio(apiUpdate, sqlUpdate), errors: updateErrors },
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
