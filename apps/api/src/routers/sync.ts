// `sync.*` and `conflicts.*`: each connection's sync health (last pull, lag, backfill progress, outbox depth, dead
// letters, error rate), an on-demand pull, the outbox and its dead letters (retry, discard), and merge conflicts
// with their resolution (applied as a local change, then pushed).
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { maxPageSize } from "@taskbridge/db/TaskQuery"
import { Views } from "@taskbridge/db/Views"
import { ConnectionPaused } from "@taskbridge/domain/Errors"
import { ConnectionId, TaskId, Vendor } from "@taskbridge/domain/Ids"
import {
  ConflictRecord,
  ConflictRepository,
  HeldDeletion,
  HeldDeletionRepository,
  OutboxEntry,
  OutboxRepository,
  OutboxState,
  Quarantined,
  QuarantineRepository,
  SyncRun,
} from "@taskbridge/domain/ports/Repositories"
import { limits, Text } from "@taskbridge/domain/Text"
import { requeue } from "@taskbridge/sync/DeadLetters"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { SyncEngine } from "@taskbridge/sync/Engine"
import { DateTime, Effect, Schema } from "effect"
import { input, output, procedure, router, run } from "../Trpc.ts"

/** One connection's health as `sync.status` reports it. */
export const ConnectionStatus = Schema.Struct({
  connectionId: ConnectionId,
  vendor: Vendor,
  name: Schema.String,
  paused: Schema.Boolean,
  lastRun: Schema.NullOr(SyncRun),
  lastSuccessAt: Schema.NullOr(Schema.DateTimeUtc),
  /** Seconds since the last successful pull finished; null before the first one. */
  lagSeconds: Schema.NullOr(Schema.Number),
  backfill: Schema.NullOr(
    Schema.Struct({
      state: SyncRun.fields.state,
      pages: Schema.Int,
      records: Schema.Int,
      total: Schema.NullOr(Schema.Int),
      /** Records per second so far (or over the whole run once it finished). */
      recordsPerSecond: Schema.Number,
      /** Seconds left at that rate while it runs and the vendor gave a total; null otherwise. */
      estimatedSecondsRemaining: Schema.NullOr(Schema.Number),
    }),
  ),
  outbox: Schema.Struct({ pending: Schema.Int, sending: Schema.Int }),
  deadLetters: Schema.Int,
  openConflicts: Schema.Int,
  /** Vendor records the last pulls could not read, held for operators (`sync.quarantined`). */
  quarantined: Schema.Int,
  /** A mass deletion waiting for an operator (`sync.decideDeletion`); null when none is held. */
  heldDeletion: Schema.NullOr(
    Schema.Struct({ id: Schema.String, records: Schema.Int, live: Schema.Int, createdAt: Schema.DateTimeUtc }),
  ),
  /** Failed pulls among the last (up to) 20 finished ones, 0 to 1. */
  errorRate: Schema.Number,
})

const encodeStatus = output(Schema.Array(ConnectionStatus))
const encodeEntries = output(Schema.Array(OutboxEntry))
const encodeEntry = output(OutboxEntry)
const encodeConflicts = output(Schema.Array(ConflictRecord))
const encodeHeld = output(Schema.Array(HeldDeletion))
const encodeQuarantined = output(Schema.Array(Quarantined))
const encodeDecided = output(HeldDeletion)
const encodeConflict = output(ConflictRecord)

const seconds = (from: DateTime.Utc, to: DateTime.Utc) =>
  Math.max(0, (DateTime.toEpochMillis(to) - DateTime.toEpochMillis(from)) / 1000)

const ByConnection = Schema.Struct({ connectionId: ConnectionId })
const EntryId = Text(limits.id)
const ByEntry = Schema.Struct({ id: EntryId })

export const OutboxInput = Schema.Struct({
  state: Schema.optionalKey(OutboxState),
  connectionId: Schema.optionalKey(ConnectionId),
  limit: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: maxPageSize })))),
})

export const QuarantinedInput = Schema.Struct({
  connectionId: Schema.optionalKey(ConnectionId),
  limit: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: maxPageSize })))),
})

export const DeletionDecisionInput = Schema.Struct({
  id: EntryId,
  /** true applies the held deletion (tombstones); false rejects it and keeps every record. */
  confirm: Schema.Boolean,
})

export const syncRouter = router({
  status: procedure("viewer").query(({ ctx }) =>
    run(
      ctx,
      Effect.gen(function* () {
        const org = ctx.identity.organizationId
        const connections = yield* (yield* ConnectionRepository).list(org)
        const health = yield* (yield* Views).health(org)
        const quarantined = yield* (yield* QuarantineRepository).counts(org)
        const now = yield* DateTime.now
        const byId = new Map(connections.map((c) => [c.id, c]))
        const rows = health.flatMap((h) => {
          const connection = byId.get(h.connectionId)
          if (connection === undefined) return []
          const b = h.backfill
          const rate = b === null ? 0 : b.records / Math.max(seconds(b.startedAt, b.finishedAt ?? now), 0.001)
          const backfill =
            b === null
              ? null
              : {
                  state: b.state,
                  pages: b.pages,
                  records: b.records,
                  total: b.total,
                  recordsPerSecond: rate,
                  estimatedSecondsRemaining:
                    b.state === "running" && b.total !== null && rate > 0
                      ? Math.max(0, b.total - b.records) / rate
                      : null,
                }
          return [
            {
              connectionId: connection.id,
              vendor: connection.vendor,
              name: connection.name,
              paused: !connection.enabled,
              lastRun: h.lastRun,
              lastSuccessAt: h.lastSuccessAt,
              lagSeconds: h.lastSuccessAt === null ? null : seconds(h.lastSuccessAt, now),
              backfill,
              outbox: { pending: h.outbox.pending, sending: h.outbox.sending },
              deadLetters: h.outbox.dead,
              openConflicts: h.openConflicts,
              quarantined: quarantined.get(connection.id) ?? 0,
              heldDeletion: h.heldDeletion,
              errorRate: h.recentRuns === 0 ? 0 : h.recentFailures / h.recentRuns,
            },
          ]
        })
        return encodeStatus(rows)
      }),
    ),
  ),

  pullNow: procedure("operator")
    .input(input(ByConnection))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const connection = yield* (yield* ConnectionRepository).get(ctx.identity.organizationId, input.connectionId)
          if (!connection.enabled) return yield* new ConnectionPaused({ id: connection.id })
          yield* (yield* Dispatcher).pullNow(connection.id, "manual")
          return { queued: true as const }
        }),
      ),
    ),

  outbox: procedure("viewer")
    .input(input(OutboxInput))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(
          OutboxRepository.use((outbox) =>
            outbox.list(ctx.identity.organizationId, {
              state: input.state ?? "pending",
              limit: input.limit ?? 50,
              ...(input.connectionId === undefined ? {} : { connection: input.connectionId }),
            }),
          ),
          encodeEntries,
        ),
      ),
    ),

  retry: procedure("operator")
    .input(input(ByEntry))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const entry = yield* requeue(ctx.identity.organizationId, input.id)
          yield* (yield* Dispatcher).push([entry])
          return encodeEntry({ ...entry, state: "pending" })
        }),
      ),
    ),

  /**
   * Vendor records a pull could not read, newest first: the rule each broke and the record as the vendor sent it
   * (operators only — the payload is the vendor's record, patient data included). A record leaves the list when a
   * later pull reads it fine.
   */
  quarantined: procedure("operator")
    .input(input(QuarantinedInput))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(
          QuarantineRepository.use((q) =>
            q.list(ctx.identity.organizationId, { connectionId: input.connectionId, limit: input.limit ?? 50 }),
          ),
          encodeQuarantined,
        ),
      ),
    ),

  /** Mass deletions held for a decision, with the records they would tombstone. */
  deletions: procedure("viewer")
    .input(input(Schema.Struct({ connectionId: Schema.optionalKey(ConnectionId) })))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(
          HeldDeletionRepository.use((held) => held.held(ctx.identity.organizationId, input.connectionId)),
          encodeHeld,
        ),
      ),
    ),

  decideDeletion: procedure("operator")
    .input(input(DeletionDecisionInput))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(
          SyncEngine.use((engine) =>
            engine.decideDeletion({
              organizationId: ctx.identity.organizationId,
              id: input.id,
              confirm: input.confirm,
              actor: ctx.identity.name,
            }),
          ),
          encodeDecided,
        ),
      ),
    ),

  discard: procedure("operator")
    .input(input(ByEntry))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(
          SyncEngine.use((engine) => engine.discard(ctx.identity.organizationId, input.id)),
          (entry) => encodeEntry({ ...entry, state: "discarded" }),
        ),
      ),
    ),
})

export const ConflictResolveInput = Schema.Struct({
  id: EntryId,
  /** The value to keep, in the field's JSON form: the conflict's `local`, its `remote`, or something new. */
  value: Schema.Json,
})

export const conflictsRouter = router({
  list: procedure("viewer")
    .input(input(Schema.Struct({ taskId: Schema.optionalKey(TaskId) })))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(
          ConflictRepository.use((conflicts) => conflicts.open(ctx.identity.organizationId, input.taskId)),
          encodeConflicts,
        ),
      ),
    ),

  resolve: procedure("operator")
    .input(input(ConflictResolveInput))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const { conflict, queued } = yield* (yield* SyncEngine).resolve({
            organizationId: ctx.identity.organizationId,
            conflictId: input.id,
            value: input.value,
            actor: ctx.identity.name,
          })
          yield* (yield* Dispatcher).push(queued)
          return encodeConflict(conflict)
        }),
      ),
    ),
})
