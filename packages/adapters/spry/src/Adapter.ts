// The Spry adapter as the domain's VendorAdapter port for waitlist requests: one per connection, its token minted
// once and shared by every call. A write of a closed request comes back from Spry as 409/4090 and is reported as
// `TerminalState`, so the engine re-reads the record and follows it instead of dead-lettering the change; a 400/4000
// names the invites that block a narrower window. It never retries, least of all a create.

import { inMemory } from "@taskbridge/adapter-kit/Memory"
import type { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { IanaZone } from "@taskbridge/domain/Due"
import { SyncError, Validation } from "@taskbridge/domain/Errors"
import { ConnectionId } from "@taskbridge/domain/Ids"
import type { ConnectionMemory, VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import { spryScheme } from "@taskbridge/domain/schemes/Spry"
import type { RecordChange, RecordDraft, RecordRef } from "@taskbridge/domain/VendorRecord"
import { Context, Effect, Layer, Redacted, Result } from "effect"
import type { HttpClient } from "effect/http"
import { makeClient, type SpryClient } from "./Client.ts"
import { defaults, type SpryConfig, SpryConfigFromEnv } from "./Config.ts"
import { isKnownInviteStatus } from "./internal/enums.ts"
import { activeInvitesDetail } from "./internal/errors.ts"
import { manifest } from "./Manifest.ts"
import { fromChange, fromDraft, isCreatedFrom, toRecord, type ZoneOf } from "./Mapping.ts"
import type { WaitlistRequest } from "./Schema.ts"
import { listChanges } from "./Sync.ts"

export interface SpryContext {
  readonly connectionId: ConnectionId
  readonly memory: ConnectionMemory
}

const standalone = (): SpryContext => ({ connectionId: ConnectionId.make("standalone"), memory: inMemory() })

const UTC = IanaZone.make("UTC")

/** The zone of each clinic's dates, as the connection configures them; an unconfigured clinic is read in UTC, flagged. */
export const zonesOf =
  (config: Pick<SpryConfig, "clinicZones" | "defaultTimeZone">): ZoneOf =>
  (clinicId) => {
    const zone = config.clinicZones?.[clinicId] ?? config.defaultTimeZone
    return zone !== undefined
      ? { zone, unknown: [] }
      : {
          zone: UTC,
          unknown: [{ field: "clinic_id", value: clinicId, fallback: "dates read in UTC (no zone configured)" }],
        }
  }

/** The invites that block a narrower window — PENDING, SENT and READ, as documented — named; no patient data. */
const blockingInvites = (r: WaitlistRequest) =>
  (r.matched_invites ?? [])
    .filter((i) => isKnownInviteStatus(i.status))
    .map((i) => `invite ${i.invite_id} ${i.status} for ${i.slot_start}`)

/** A 400/4000 answer, re-read to say which invites are in the way. */
const nameInvites = (client: SpryClient, id: string) => (error: SyncError) =>
  Effect.gen(function* () {
    const { reason } = error
    if (reason._tag !== "Validation" || !reason.detail.startsWith(activeInvitesDetail)) return yield* error
    const current = yield* client.get(id, { includeWaitlists: true }).pipe(Effect.option)
    const named = current._tag === "Some" ? blockingInvites(current.value) : []
    if (named.length === 0) return yield* error
    const detail = `${activeInvitesDetail} (${named.join(", ")}): rescind them at Spry before narrowing the date range`
    return yield* new SyncError({
      vendor: "spry",
      operation: error.operation,
      reason: new Validation({ field: "due", detail }),
    })
  })

export const make = Effect.fnUntraced(function* (config: SpryConfig, context: SpryContext = standalone()) {
  const client = yield* makeClient(config, context.connectionId)
  const scheme = spryScheme()
  const zoneOf = zonesOf(config)
  const record = (r: WaitlistRequest) => toRecord(scheme, zoneOf, r)
  const options = {
    pageSize: config.pageSize ?? manifest.pageSize,
    overlapMillis: config.overlapMillis ?? defaults.overlapMillis,
    fullEveryMillis: (config.fullListingEveryHours ?? defaults.fullListingEveryHours) * 3_600_000,
  }

  /** The zone a change's dates are in: its clinic's, known from the record's parent (read only if it is not). */
  const zoneFor = (ref: RecordRef, change: RecordChange) =>
    change.fields.due === undefined
      ? Effect.succeed(UTC)
      : ref.parent !== null
        ? Effect.succeed(zoneOf(ref.parent).zone)
        : Effect.map(client.get(ref.id), (r) => zoneOf(r.clinic_id).zone)

  const update = Effect.fn("Spry.update")(function* (ref: RecordRef, change: RecordChange) {
    const body = fromChange(yield* zoneFor(ref, change), change)
    if (Result.isFailure(body)) return yield* body.failure
    const answer = yield* client
      .update(ref.id, body.success)
      .pipe(Effect.catchTag("SyncError", nameInvites(client, ref.id)))
    return record(answer)
  })

  const create = Effect.fn("Spry.create")(function* (draft: RecordDraft) {
    const body = fromDraft(zoneOf, draft)
    if (Result.isFailure(body)) return yield* body.failure
    return record(yield* client.create(Redacted.make(body.success.patientId), body.success.body))
  })

  /** Spry has no idempotency key: the patient's newest ACTIVE request at the clinic with the same content. */
  const findCreated = Effect.fn("Spry.findCreated")(function* (draft: RecordDraft) {
    const body = fromDraft(zoneOf, draft)
    if (Result.isFailure(body)) return yield* body.failure
    const listed = yield* client.list({
      page: 1,
      pageSize: options.pageSize,
      sortBy: "created_at",
      sortDir: "desc",
      status: "ACTIVE",
      clinicId: body.success.body.clinic_id,
      patientId: Redacted.make(body.success.patientId),
    })
    const match = listed.items.find((r) => isCreatedFrom(body.success.body, r))
    return match === undefined ? null : record(match)
  })

  const adapter: VendorAdapter = {
    manifest,
    statusScheme: Effect.succeed(scheme),
    listChanges: (checkpoint) => listChanges({ client, toRecord: record }, checkpoint, options),
    get: (ref) => Effect.map(client.get(ref.id), record),
    create,
    findCreated,
    update,
  }
  return adapter
})

/** A single Spry connection as a service, for apps that talk to one organisation. */
export class SpryAdapter extends Context.Service<SpryAdapter, VendorAdapter>()(
  "@taskbridge/adapter-spry/SpryAdapter",
) {}

export const layer = (config: SpryConfig): Layer.Layer<SpryAdapter, never, HttpClient.HttpClient | RateBudgets> =>
  Layer.effect(SpryAdapter, make(config))

export const layerConfig = Layer.effect(
  SpryAdapter,
  Effect.gen(function* () {
    return yield* make(yield* SpryConfigFromEnv)
  }),
)
