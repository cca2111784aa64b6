// `connections.*`: an organization's vendor connections — list (never with credentials, with what each adapter
// learned), create and update (checked by the vendor's definition — its credential and option schemas and its adapter
// — before anything is stored; a new one is backfilled), test (one authenticated read at the vendor), pause and
// resume (a paused connection is neither pulled nor pushed to; its changes wait), and its status scheme.
import { randomUUID } from "node:crypto"
import { Egress } from "@taskbridge/adapter-kit/Egress"
import { inMemory } from "@taskbridge/adapter-kit/Memory"
import { ConnectionRepository, ConnectionSummary } from "@taskbridge/db/ConnectionRepository"
import { IdentityMap } from "@taskbridge/domain/Assignment"
import { ConnectionId, Vendor } from "@taskbridge/domain/Ids"
import { OutboxRepository } from "@taskbridge/domain/ports/Repositories"
import { VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import { StatusScheme } from "@taskbridge/domain/StatusScheme"
import { limits, NonEmptyText, Text } from "@taskbridge/domain/Text"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { SyncEngine } from "@taskbridge/sync/Engine"
import { EngineOptions } from "@taskbridge/sync/Fields"
import { adapterFor, VendorDefinitions } from "@taskbridge/sync/Registry"
import { Clock, DateTime, Effect, Redacted, Schema, Stream } from "effect"
import { InvalidInput } from "../Errors.ts"
import { input, output, procedure, router, run } from "../Trpc.ts"

const Name = NonEmptyText(limits.name)
const BaseUrl = Text(limits.url)

/** A settings record: at most 50 entries, keys of at most 100 characters. */
const settings = <S extends Schema.Top>(value: S) =>
  Schema.Record(Text(limits.settingKey), value).pipe(
    Schema.check(
      Schema.makeFilter((record: object) => Object.keys(record).length <= limits.settings, {
        expected: `at most ${limits.settings} entries`,
      }),
    ),
  )
const Credentials = settings(Text(limits.credential))
// Option values are JSON; their strings are bounded by the input guard (Trpc.ts) and the body cap.
const Options = settings(Schema.Json)

export const ConnectionCreateInput = Schema.Struct({
  vendor: Vendor,
  name: Name,
  baseUrl: BaseUrl,
  /** What the vendor's definition names (`vendors.list` shows each vendor's fields). Encrypted at rest. */
  credentials: Credentials,
  options: Schema.optionalKey(Options),
  statusScheme: Schema.optionalKey(Schema.NullOr(StatusScheme)),
  identityMap: Schema.optionalKey(IdentityMap.pipe(Schema.check(Schema.isMaxLength(limits.identities)))),
})

/** New settings for a connection; absent fields stay as they are. Credentials are replaced whole when given. */
export const ConnectionUpdateInput = Schema.Struct({
  id: ConnectionId,
  name: Schema.optionalKey(Name),
  baseUrl: Schema.optionalKey(BaseUrl),
  credentials: Schema.optionalKey(Credentials),
  options: Schema.optionalKey(Options),
})

const ById = Schema.Struct({ id: ConnectionId })
const readEngineOptions = Schema.decodeUnknownEffect(EngineOptions)

const encodeSummary = output(ConnectionSummary)
const encodeSummaries = output(Schema.Array(ConnectionSummary))
const encodeScheme = output(StatusScheme)

const summaryOf = ({ credentials: _, ...summary }: ConnectionSummary & { readonly credentials?: unknown }) => summary

/**
 * A base URL the egress policy lets vendor calls reach (https, no userinfo, no internal address unless its host is
 * allowed); the same policy is checked again before every request, since DNS answers change.
 */
const httpUrl = (field: string, raw: string) =>
  Effect.gen(function* () {
    const parsed = URL.canParse(raw) ? new URL(raw) : null
    if (parsed === null || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      return yield* new InvalidInput({ field, rule: "http-url", detail: "must be an absolute http(s) URL" })
    }
    const refused = yield* (yield* Egress).refusal(raw)
    if (refused !== undefined) return yield* new InvalidInput({ field, rule: "egress", detail: refused })
    return raw.replace(/\/+$/, "")
  })

/** Which input field a definition's refusal is about (its reasons start with the field, or say no adapter exists). */
const settingOf = (reason: string) =>
  reason.startsWith("options") ? "options" : reason.startsWith("no ") ? "vendor" : "credentials"

/**
 * Refuses settings the vendor's definition cannot use before anything is stored, naming `credentials` or `options`
 * (never a credential's value): its schemas decode them, the engine's own options must be valid, and the adapter must
 * build. A connection the engine cannot use would otherwise fail every 30 s in the background.
 */
const checkSettings = (connection: Parameters<typeof adapterFor>[1]) =>
  Effect.gen(function* () {
    yield* readEngineOptions(connection.options).pipe(
      Effect.mapError(
        () =>
          new InvalidInput({
            field: "options",
            rule: "engine-options",
            detail: "mergePolicy or deletionGuard is not valid",
          }),
      ),
    )
    yield* adapterFor(yield* VendorDefinitions, connection, inMemory()).pipe(
      Effect.mapError(
        (e) => new InvalidInput({ field: settingOf(e.reason), rule: "vendor-settings", detail: e.reason }),
      ),
    )
  })

/** Sets a connection's `enabled` flag, scoped to the organization. */
const setEnabled = (org: ConnectionSummary["organizationId"], id: ConnectionId, enabled: boolean) =>
  Effect.gen(function* () {
    const connections = yield* ConnectionRepository
    const connection = yield* connections.get(org, id)
    return yield* connections.update({ ...connection, enabled })
  })

export const connectionsRouter = router({
  list: procedure("viewer").query(({ ctx }) =>
    run(
      ctx,
      Effect.map(
        ConnectionRepository.use((connections) => connections.list(ctx.identity.organizationId)),
        encodeSummaries,
      ),
    ),
  ),

  create: procedure("admin")
    .input(input(ConnectionCreateInput))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const now = yield* DateTime.now
          const connection = {
            id: ConnectionId.make(randomUUID()),
            organizationId: ctx.identity.organizationId,
            vendor: input.vendor,
            name: input.name,
            baseUrl: yield* httpUrl("baseUrl", input.baseUrl),
            statusScheme: input.statusScheme ?? null,
            identityMap: input.identityMap ?? [],
            options: input.options ?? {},
            enabled: true,
            credentials: Redacted.make(JSON.stringify(input.credentials)),
          }
          yield* checkSettings({ ...connection, learnedFacts: {}, createdAt: now, updatedAt: now })
          const stored = yield* (yield* ConnectionRepository).create(connection)
          const dispatcher = yield* Dispatcher
          yield* dispatcher.watch(stored.id)
          // The backfill starts now rather than at the schedule's next tick.
          yield* dispatcher.pullNow(stored.id, "manual")
          return encodeSummary(summaryOf(stored))
        }),
      ),
    ),

  update: procedure("admin")
    .input(input(ConnectionUpdateInput))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const connections = yield* ConnectionRepository
          const current = yield* connections.get(ctx.identity.organizationId, input.id)
          const next = {
            ...current,
            ...(input.name === undefined ? {} : { name: input.name }),
            ...(input.baseUrl === undefined ? {} : { baseUrl: yield* httpUrl("baseUrl", input.baseUrl) }),
            ...(input.options === undefined ? {} : { options: input.options }),
            ...(input.credentials === undefined
              ? {}
              : { credentials: Redacted.make(JSON.stringify(input.credentials)) }),
          }
          yield* checkSettings(next)
          // The settings' version moves with this write, so every process rebuilds the connection's adapter.
          return encodeSummary(summaryOf(yield* connections.update(next)))
        }),
      ),
    ),

  test: procedure("admin")
    .input(input(ById))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          yield* (yield* ConnectionRepository).get(ctx.identity.organizationId, input.id)
          const adapter = yield* (yield* VendorAdapters).forConnection(input.id)
          const started = yield* Clock.currentTimeMillis
          // One authenticated read: the first page of a backfill listing, which every adapter supports.
          const outcome = yield* Stream.runHead(adapter.listChanges(null)).pipe(Effect.result)
          const millis = (yield* Clock.currentTimeMillis) - started
          return outcome._tag === "Success"
            ? {
                ok: true as const,
                millis,
                records: outcome.success._tag === "Some" ? outcome.success.value.records.length : 0,
              }
            : { ok: false as const, millis, error: outcome.failure.message, retryable: outcome.failure.isRetryable }
        }),
      ),
    ),

  pause: procedure("admin")
    .input(input(ById))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(setEnabled(ctx.identity.organizationId, input.id, false), (c) => encodeSummary(summaryOf(c))),
      ),
    ),

  resume: procedure("admin")
    .input(input(ById))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const org = ctx.identity.organizationId
          const resumed = yield* setEnabled(org, input.id, true)
          // Pull before pushing: the vendor may have changed what was edited here meanwhile, and a pull is what turns
          // that into a conflict (whose field's queued change is then held) instead of an overwrite. A failed pull is
          // recorded in its sync run; the queued changes still go out for the fields nobody else touched.
          yield* (yield* SyncEngine).pull(resumed.id, "manual").pipe(Effect.ignore)
          const dispatcher = yield* Dispatcher
          yield* dispatcher.watch(resumed.id)
          // Changes queued while paused go out now: the lane held their tasks back when it found the connection paused.
          const waiting = yield* (yield* OutboxRepository).list(org, {
            state: "pending",
            connection: resumed.id,
            limit: 10_000,
          })
          yield* dispatcher.push(waiting)
          return encodeSummary(summaryOf(resumed))
        }),
      ),
    ),

  statusScheme: procedure("viewer")
    .input(input(ById))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          yield* (yield* ConnectionRepository).get(ctx.identity.organizationId, input.id)
          const adapter = yield* (yield* VendorAdapters).forConnection(input.id)
          return encodeScheme(yield* adapter.statusScheme)
        }),
      ),
    ),
})
