// The raw baseline: what the vendor's pages cost with nothing of taskbridge in between. The same Candid pages (same
// page size and order as the adapter), fetched one after the other, each written with one batched INSERT (the
// backfill) or upsert (the incremental passes, in the same process) of the record's id and its body as JSON — no
// mapping, no merge, no history. An incremental pass lists what the adapter must list to converge: the tasks updated
// since the last pass (`updated_since`), then, newest `agg_updated_at` first, down to the last pass's newest one (the
// tasks whose notes alone changed, which `updated_since` may not show: vendor-docs §1.7) — without the adapter's
// overlap windows, so the baseline is the least the vendor's API allows.
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
  /** Incremental passes after the backfill, each once the parent has changed the vendor's records. */
  readonly rounds: number
}

export interface RawResult {
  readonly records: number
  readonly pages: number
  readonly millis: number
  readonly cpuMillis: number
  /** The newest `updated_at` and `agg_updated_at` seen, for the next incremental pass. */
  readonly watermark: string
  readonly aggWatermark: string
  readonly peakRssBytes: number
  /** The `updated_since` listing alone (the baseline before 2026-12-02 evening), for comparison. */
  readonly updatedSince?: { readonly records: number; readonly pages: number; readonly millis: number }
}

interface CandidPage {
  readonly items: ReadonlyArray<{
    readonly task_id: string
    readonly updated_at: string
    readonly agg_updated_at: string
  }>
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

const listPage = async (bearer: string, params: URLSearchParams) => {
  const answer = await fetch(`${input.baseUrl}/api/tasks/v3?${params}`, {
    headers: { authorization: `Bearer ${bearer}` },
  })
  return (await answer.json()) as CandidPage
}

const write = async (items: CandidPage["items"], upsert: boolean) => {
  if (items.length === 0) return
  const ids = items.map((item) => item.task_id)
  const times = items.map((item) => item.updated_at)
  const bodies = items.map((item) => JSON.stringify(item))
  await runtime.runPromise(
    upsert
      ? sql`INSERT INTO raw_tasks (id, updated_at, body)
            SELECT * FROM unnest(${ids}::text[], ${times}::timestamptz[], ${bodies}::jsonb[])
            ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body`
      : sql`INSERT INTO raw_tasks (id, updated_at, body)
            SELECT * FROM unnest(${ids}::text[], ${times}::timestamptz[], ${bodies}::jsonb[])`,
  )
}

const epoch = "1970-01-01T00:00:00Z"

// One pass: a backfill (`since` absent), or the tasks changed since the last pass, upserted.
const measure = async (since?: { readonly updated: string; readonly agg: string }) => {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const bearer = await token()
  let records = 0
  let pages = 0
  let watermark = since?.updated ?? epoch
  let aggWatermark = since?.agg ?? epoch
  const written = new Set<string>()
  let pageToken: string | null = null
  do {
    const params = new URLSearchParams({ limit: String(input.pageSize), sort: "updated_at:asc" })
    if (since !== undefined) params.set("updated_since", since.updated)
    if (pageToken !== null) params.set("page_token", pageToken)
    const page = await listPage(bearer, params)
    // `updated_since` includes its own second, which Candid stamps to, so the last pass's newest tasks are listed
    // again: they are fetched (as the adapter must) but not written again. The bench changes tasks only minutes after
    // a pass, so no edit shares the last pass's second.
    const changed = since === undefined ? page.items : page.items.filter((item) => item.updated_at > since.updated)
    await write(changed, since !== undefined)
    for (const item of page.items) {
      if (item.updated_at > watermark) watermark = item.updated_at
      if (item.agg_updated_at > aggWatermark) aggWatermark = item.agg_updated_at
    }
    if (since !== undefined) for (const item of changed) written.add(item.task_id)
    records += changed.length
    pages += 1
    pageToken = page.next_page_token ?? null
  } while (pageToken !== null)
  const updatedSince = { records, pages, millis: performance.now() - started }
  // The note-only changes: newest aggregate first, until the last pass's newest (Candid writes ISO UTC, so text order
  // is time order), each page's changed tasks not already written above.
  if (since !== undefined) {
    let reached = false
    pageToken = null
    do {
      const params = new URLSearchParams({ limit: String(input.pageSize), sort: "agg_updated_at:desc" })
      if (pageToken !== null) params.set("page_token", pageToken)
      const page = await listPage(bearer, params)
      const changed = page.items.filter((item) => item.agg_updated_at > since.agg && !written.has(item.task_id))
      await write(changed, true)
      for (const item of page.items) if (item.agg_updated_at > aggWatermark) aggWatermark = item.agg_updated_at
      reached = page.items.some((item) => item.agg_updated_at <= since.agg)
      records += changed.length
      pages += 1
      pageToken = page.next_page_token ?? null
    } while (pageToken !== null && !reached)
  }
  const millis = performance.now() - started
  const { user, system } = process.cpuUsage(cpu)
  return { records, pages, millis, cpuMillis: (user + system) / 1000, watermark, aggWatermark, updatedSince }
}

// The backfill, then (each time the parent has changed the vendor's records) the changed pages in the same process,
// as the engine's side runs them.
let last = await measure()
for (let round = 0; round < input.rounds; round++) {
  await step(last)
  last = await measure({ updated: last.watermark, agg: last.aggWatermark })
}
await runtime.dispose()
report(last)
