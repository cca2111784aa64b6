// `events`: a server-sent-events subscription of the caller's organization's changes — every work item's change
// (from the history, in order, with its origin and the item's kind) and every sync run's start, progress and end. It
// tails the database, so it sees changes made by any process (API, workers); `lastEventId` resumes after a reconnect.
// The caller's token (or console session) is verified again on every poll, so revoking the token or signing out
// ends the stream within a second.

import type { TokenIdentity } from "@taskbridge/db/OrganizationRepository"
import { Views } from "@taskbridge/db/Views"
import { HistoryRecord, SyncRun } from "@taskbridge/domain/ports/Repositories"
import { WorkItemKind } from "@taskbridge/domain/Task"
import { limits, Text } from "@taskbridge/domain/Text"
import { TRPCError, tracked } from "@trpc/server"
import { Schema } from "effect"
import { type ApiContext, hasRole, identifyCaller, input, output, procedure, run } from "../Trpc.ts"

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

/** Who may follow the feed; re-checked on every poll. */
const role = "viewer" as const

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
    // The token is checked again on every poll (twice a second): a revoked token, or one that no longer has the role
    // or the organization, ends the stream with UNAUTHORIZED instead of going on delivering the organization's data.
    const still = await identifyCaller(ctx.runtime, ctx)
    if (still === null || still.organizationId !== org || !hasRole(still, role)) {
      throw new TRPCError({
        code: "UNAUTHORIZED",
        message: "Authorization: the token was revoked or the session ended",
      })
    }
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

export const eventsProcedure = procedure(role)
  .input(input(Schema.Struct({ lastEventId: Schema.optionalKey(Schema.NullOr(Text(limits.id))) })))
  .subscription(({ ctx, input, signal }) => stream(ctx, input.lastEventId ?? undefined, signal))
