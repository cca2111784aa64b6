// The raw baseline: what the vendor's pages cost with nothing of taskbridge in between. The same Candid pages (same
// page size and order as the adapter), fetched one after the other, each written with one batched INSERT (the
// backfill) or upsert (the incremental pass, in the same process) of the record's id and its body as JSON — no
// mapping, no merge, no history.
import * as Database from "@taskbridge/db/Database"
import { Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { childInput, report, step } from "../Child.ts"

export interface RawInput {
  readonly env: Readonly<Record<string, string>>
  readonly baseUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly pageSize: number
}

export interface RawResult {
  readonly records: number
  readonly pages: number
  readonly millis: number
  readonly cpuMillis: number
  /** The newest `updated_at` seen, for the next incremental run. */
  readonly watermark: string
  readonly peakRssBytes: number
}

interface CandidPage {
  readonly items: ReadonlyArray<{ readonly task_id: string; readonly updated_at: string }>
  readonly next_page_token?: string | null
}

const input = childInput<RawInput>()
Object.assign(process.env, input.env)

const token = async () => {
  const answer = await fetch(`${input.baseUrl}/api/auth/v2/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: input.clientId, client_secret: input.clientSecret }),
  })
  return ((await answer.json()) as { access_token: string }).access_token
}

const runtime = ManagedRuntime.make(Database.layerClient.pipe(Layer.orDie))
const sql = await runtime.runPromise(Effect.service(SqlClient))
await runtime.runPromise(
  sql`CREATE TABLE IF NOT EXISTS raw_tasks (id text PRIMARY KEY, updated_at timestamptz NOT NULL, body jsonb NOT NULL)`,
)

// One pass: a backfill (`since` absent) or the pages changed since `since`, upserted.
const measure = async (since: string | undefined) => {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const bearer = await token()
  let records = 0
  let pages = 0
  let watermark = since ?? "1970-01-01T00:00:00Z"
  let pageToken: string | null = null
  do {
    const params = new URLSearchParams({ limit: String(input.pageSize), sort: "updated_at:asc" })
    if (since !== undefined) params.set("updated_since", since)
    if (pageToken !== null) params.set("page_token", pageToken)
    const answer = await fetch(`${input.baseUrl}/api/tasks/v3?${params}`, {
      headers: { authorization: `Bearer ${bearer}` },
    })
    const page = (await answer.json()) as CandidPage
    const ids = page.items.map((item) => item.task_id)
    const times = page.items.map((item) => item.updated_at)
    const bodies = page.items.map((item) => JSON.stringify(item))
    if (ids.length > 0) {
      await runtime.runPromise(
        since === undefined
          ? sql`INSERT INTO raw_tasks (id, updated_at, body)
                SELECT * FROM unnest(${ids}::text[], ${times}::timestamptz[], ${bodies}::jsonb[])`
          : sql`INSERT INTO raw_tasks (id, updated_at, body)
                SELECT * FROM unnest(${ids}::text[], ${times}::timestamptz[], ${bodies}::jsonb[])
                ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body`,
      )
    }
    for (const at of times) if (at > watermark) watermark = at
    records += ids.length
    pages += 1
    pageToken = page.next_page_token ?? null
  } while (pageToken !== null)
  const millis = performance.now() - started
  const { user, system } = process.cpuUsage(cpu)
  return { records, pages, millis, cpuMillis: (user + system) / 1000, watermark }
}

// The backfill, then (once the parent has changed the vendor's records) the changed pages in the same process, as
// the engine's side runs them.
const backfill = await measure(undefined)
await step(backfill)
const incremental = await measure(backfill.watermark)
await runtime.dispose()
report(incremental)
