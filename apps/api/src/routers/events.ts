// `events`: a server-sent-events subscription of the caller's organization's changes — every work item's change
// (from the history, in order, with its origin and the item's kind) and every sync run's start, progress and end. It
// tails the database, so it sees changes made by any process (API, workers); `lastEventId` resumes after a reconnect.

import type { TokenIdentity } from "@taskbridge/db/OrganizationRepository"
import { Views } from "@taskbridge/db/Views"
import { HistoryRecord, SyncRun } from "@taskbridge/domain/ports/Repositories"
import { WorkItemKind } from "@taskbridge/domain/Task"
import { tracked } from "@trpc/server"
import { Schema } from "effect"
import { type ApiContext, input, output, procedure, run } from "../Trpc.ts"

export const ApiEvent = Schema.Union([
  Schema.Struct({ type: Schema.Literal("task"), kind: WorkItemKind, change: HistoryRecord }),
  Schema.Struct({ type: Schema.Literal("sync"), run: SyncRun }),
])
export type ApiEvent = typeof ApiEvent.Type

const encodeEvent = output(ApiEvent)
const pollMillis = 500
const batch = 200

const sleep = (millis: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, millis)
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
  })

const runKey = (r: SyncRun) => `${r.id}:${r.state}:${r.pages}:${r.records}`

async function* stream(
  ctx: ApiContext & { readonly identity: TokenIdentity },
  after: string | undefined,
  signal: AbortSignal | undefined,
) {
  const org = ctx.identity.organizationId
  let cursor: string =
    after ??
    (await run(
      ctx,
      Views.use((v) => v.feedHead(org)),
    ))
  const seen = new Map<string, string>()
  while (signal?.aborted !== true) {
    const changes = await run(
      ctx,
      Views.use((v) => v.feed(org, cursor, batch)),
    )
    for (const { record, kind } of changes) {
      cursor = record.id
      yield tracked(record.id, encodeEvent({ type: "task", kind, change: record }))
    }
    const runs = await run(
      ctx,
      Views.use((v) => v.latestRuns(org)),
    )
    for (const latest of runs) {
      const key = runKey(latest)
      if (seen.get(latest.connectionId) === key) continue
      seen.set(latest.connectionId, key)
      // Sync events carry the history cursor as their id: resuming after one continues the change feed there.
      yield tracked(cursor, encodeEvent({ type: "sync", run: latest }))
    }
    if (changes.length < batch) await sleep(pollMillis, signal)
  }
}

export const eventsProcedure = procedure("viewer")
  .input(input(Schema.Struct({ lastEventId: Schema.optionalKey(Schema.NullOr(Schema.String)) })))
  .subscription(({ ctx, input, signal }) => stream(ctx, input.lastEventId ?? undefined, signal))
