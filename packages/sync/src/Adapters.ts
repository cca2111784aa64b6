// The VendorAdapters registry: builds each connection's adapter from its stored settings and decrypted
// credentials, once per connection, and hands it to the engine. Vendors join here as their adapters land.

import { make as makeCandid } from "@taskbridge/adapter-candid/Adapter"
import { make as makeCareValidate } from "@taskbridge/adapter-carevalidate/Adapter"
import type { RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { type Connection, ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { ConnectionUnusable } from "@taskbridge/domain/Errors"
import type { ConnectionId } from "@taskbridge/domain/Ids"
import { type VendorAdapter, VendorAdapters } from "@taskbridge/domain/ports/VendorAdapter"
import { Effect, Layer, Redacted, Schema } from "effect"
import type { HttpClient } from "effect/http"

/** Candid credentials are stored as one encrypted JSON document. */
const CandidCredentials = Schema.fromJsonString(Schema.Struct({ clientId: Schema.String, clientSecret: Schema.String }))
/** A CareValidate connection stores its organization's `cv-api-key`. */
const CareValidateCredentials = Schema.fromJsonString(Schema.Struct({ apiKey: Schema.String }))
const CandidOptions = Schema.Struct({
  workQueueId: Schema.optionalKey(Schema.String),
  deprecatedStatuses: Schema.optionalKey(Schema.Array(Schema.String)),
})

const unusable = (connection: Connection, what: string) => () =>
  new ConnectionUnusable({
    id: connection.id,
    reason: `its ${what} do not match what the ${connection.vendor} adapter needs`,
  })

export const adapterFor = (connection: Connection) =>
  Effect.gen(function* () {
    switch (connection.vendor) {
      case "candid": {
        const credentials = yield* Schema.decodeUnknownEffect(CandidCredentials)(
          Redacted.value(connection.credentials),
        ).pipe(Effect.mapError(unusable(connection, "credentials")))
        const options = yield* Schema.decodeUnknownEffect(CandidOptions)(connection.options).pipe(
          Effect.mapError(unusable(connection, "options")),
        )
        return yield* makeCandid({
          baseUrl: connection.baseUrl,
          clientId: credentials.clientId,
          clientSecret: Redacted.make(credentials.clientSecret),
          workQueueId: options.workQueueId,
          deprecatedStatuses: options.deprecatedStatuses,
        })
      }
      case "carevalidate": {
        const credentials = yield* Schema.decodeUnknownEffect(CareValidateCredentials)(
          Redacted.value(connection.credentials),
        ).pipe(Effect.mapError(unusable(connection, "credentials")))
        return yield* makeCareValidate({
          baseUrl: connection.baseUrl,
          apiKey: Redacted.make(credentials.apiKey),
          identities: connection.identityMap,
        })
      }
      default:
        // The other vendors' adapters are wire schemas only so far; a connection to them cannot sync yet.
        return yield* new ConnectionUnusable({ id: connection.id, reason: `no ${connection.vendor} adapter yet` })
    }
  })

export const layer: Layer.Layer<VendorAdapters, never, ConnectionRepository | HttpClient.HttpClient | RateBudgets> =
  Layer.effect(
    VendorAdapters,
    Effect.gen(function* () {
      const connections = yield* ConnectionRepository
      const context = yield* Effect.context<HttpClient.HttpClient | RateBudgets>()
      const cache = new Map<ConnectionId, VendorAdapter>()
      const forConnection = (id: ConnectionId) =>
        Effect.gen(function* () {
          const cached = cache.get(id)
          if (cached !== undefined) return cached
          const connection = yield* connections.find(id).pipe(
            Effect.catchTag("CredentialsUnreadable", (e) =>
              Effect.fail(new ConnectionUnusable({ id, reason: e.reason })),
            ),
            // The store failing is not a property of the connection: let it surface as a defect with its cause.
            Effect.catchTag("PersistenceError", (e) => Effect.die(e)),
          )
          const adapter = yield* adapterFor(connection).pipe(Effect.provide(context))
          cache.set(id, adapter)
          return adapter
        })
      return VendorAdapters.of({ forConnection })
    }),
  )
