// The engine's vendor registry: the one list of vendor definitions the app runs with (`VendorDefinitions`), and the
// VendorAdapters port built from it — each connection's adapter made by its vendor's definition from the stored
// settings and decrypted credentials, with a memory that persists what the adapter learns on the connection, cached
// per connection until its settings change. Nothing here knows any vendor.
import type { AdapterEnv, VendorDefinition } from "@taskbridge/adapter-kit/Definition"
import { type Connection, ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { ConnectionUnusable } from "@taskbridge/domain/Errors"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import { type ConnectionMemory, type VendorAdapter, VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import { Context, Effect, Layer, Redacted, Schema } from "effect"

/** The vendor definitions this process runs with: `@taskbridge/vendors` in the apps, a fake in engine tests. */
export class VendorDefinitions extends Context.Service<VendorDefinitions, ReadonlyArray<VendorDefinition>>()(
  "@taskbridge/sync/VendorDefinitions",
) {
  static readonly layer = (definitions: ReadonlyArray<VendorDefinition>) =>
    Layer.succeed(VendorDefinitions, definitions)
}

const CredentialsJson = Schema.fromJsonString(Schema.Record(Schema.String, Schema.Json))

/** Learning must never fail a sync; a store failure here is logged (without the value) and the sync goes on. */
const keep =
  (what: string) =>
  <E, R>(effect: Effect.Effect<void, E, R>) =>
    effect.pipe(
      Effect.catchCause((cause) => Effect.logError(`could not keep what an adapter learned (${what})`, cause)),
    )

/** The memory of one connection: what it learned so far, and writes that persist more on the connection row. */
export const memoryOf = (connections: ConnectionRepository["Service"], connection: Connection): ConnectionMemory => ({
  learned: {
    statusScheme: connection.statusScheme,
    identities: connection.identityMap,
    facts: connection.learnedFacts,
  },
  saveScheme: (scheme) => connections.saveScheme(connection.id, scheme).pipe(keep("status scheme")),
  learnIdentity: (entry) => connections.learnIdentity(connection.id, entry).pipe(keep("identity")),
  saveFact: (key, value) => connections.saveFact(connection.id, key, value).pipe(keep(key)),
})

/** The adapter a connection's vendor definition builds from its settings; unreadable settings make it unusable. */
export const adapterFor = (
  definitions: ReadonlyArray<VendorDefinition>,
  connection: Connection,
  memory: ConnectionMemory,
): Effect.Effect<VendorAdapter, ConnectionUnusable, AdapterEnv> =>
  Effect.gen(function* () {
    const definition = definitions.find((d) => d.vendor === connection.vendor)
    if (definition === undefined) {
      return yield* new ConnectionUnusable({
        id: connection.id,
        reason: `no ${connection.vendor} adapter is installed`,
      })
    }
    const credentials = yield* Schema.decodeUnknownEffect(CredentialsJson)(Redacted.value(connection.credentials)).pipe(
      Effect.mapError(
        () => new ConnectionUnusable({ id: connection.id, reason: "its credentials are not a JSON object" }),
      ),
    )
    return yield* definition
      .make({
        connectionId: connection.id,
        baseUrl: connection.baseUrl,
        credentials,
        options: connection.options,
        memory,
      })
      .pipe(Effect.mapError((e) => new ConnectionUnusable({ id: connection.id, reason: e.message })))
  })

export const layer: Layer.Layer<VendorAdapters, never, ConnectionRepository | VendorDefinitions | AdapterEnv> =
  Layer.effect(
    VendorAdapters,
    Effect.gen(function* () {
      const connections = yield* ConnectionRepository
      const definitions = yield* VendorDefinitions
      const context = yield* Effect.context<AdapterEnv>()
      const cache = new Map<ConnectionId, { readonly version: string; readonly adapter: VendorAdapter }>()
      const forConnection = (id: ConnectionId, known?: string) =>
        Effect.gen(function* () {
          // One small read per use (none when the caller just read it): an adapter built before the settings last
          // changed is rebuilt from the new ones. The store failing is not a property of the connection: it surfaces
          // as a defect with its cause.
          const version =
            known ?? (yield* connections.settingsVersion(id).pipe(Effect.catchTag("PersistenceError", Effect.die)))
          const cached = cache.get(id)
          if (cached !== undefined && cached.version === version) return cached.adapter
          const connection = yield* connections.find(id).pipe(
            Effect.catchTag("CredentialsUnreadable", (e) =>
              Effect.fail(new ConnectionUnusable({ id, reason: e.reason })),
            ),
            Effect.catchTag("PersistenceError", Effect.die),
          )
          const adapter = yield* adapterFor(definitions, connection, memoryOf(connections, connection)).pipe(
            Effect.provide(context),
          )
          cache.set(id, { version, adapter })
          return adapter
        })
      return VendorAdapters.of({ forConnection })
    }),
  )
