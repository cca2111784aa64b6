// Vendor connections: vendor + organization + base URL + credentials + options, and what the connection's adapter
// learned (status scheme, identity map, vendor facts), written as it learns without touching the settings' version.
// Credentials are encrypted by Secrets before they reach SQL and are only ever held as Redacted; listing never
// decrypts. A db-owned service (no domain port): the engine's VendorAdapters implementation and the API use it.
import { PgClient } from "@effect/sql-pg"
import { type IdentityEntry, IdentityMap } from "@taskbridge/domain/Assignment"
import { ConnectionNotFound } from "@taskbridge/domain/Errors"
import { ConnectionId, OrganizationId, Vendor } from "@taskbridge/domain/Ids"
import type { PersistenceError } from "@taskbridge/domain/ports/Repositories"
import { StatusScheme } from "@taskbridge/domain/StatusScheme"
import { Context, Effect, Layer, type Redacted, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { encode, exec, firstRow, rows } from "./internal/Store.ts"
import { Secrets } from "./Secrets.ts"

/** Everything about a connection except its credentials. */
export const ConnectionSummary = Schema.Struct({
  id: ConnectionId,
  organizationId: OrganizationId,
  vendor: Vendor,
  name: Schema.String,
  baseUrl: Schema.String,
  statusScheme: Schema.NullOr(StatusScheme),
  identityMap: IdentityMap,
  /** Vendor-specific settings; the vendor's adapter decodes them with its own schema. */
  options: Schema.Record(Schema.String, Schema.Json),
  /** What the adapter learned that has no column of its own (e.g. a priority configuration), by key. */
  learnedFacts: Schema.Record(Schema.String, Schema.Json),
  enabled: Schema.Boolean,
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc,
})
export type ConnectionSummary = typeof ConnectionSummary.Type

export interface Connection extends ConnectionSummary {
  /** The vendor credentials (API key, client secret, … as the adapter's config expects them). */
  readonly credentials: Redacted.Redacted<string>
}
export type NewConnection = Omit<Connection, "createdAt" | "updatedAt" | "learnedFacts">

/** Stored credentials that this process's key cannot open; the message never contains them. */
export class CredentialsUnreadable extends Schema.TaggedError<CredentialsUnreadable>()("CredentialsUnreadable", {
  connectionId: Schema.String,
  reason: Schema.String,
}) {
  override get message() {
    return `credentials of connection ${this.connectionId} cannot be decrypted: ${this.reason}`
  }
}

type Io<A, E = never> = Effect.Effect<A, E | PersistenceError>
type Found = Io<Connection, ConnectionNotFound | CredentialsUnreadable>

export class ConnectionRepository extends Context.Service<
  ConnectionRepository,
  {
    readonly create: (connection: NewConnection) => Io<Connection>
    readonly get: (org: OrganizationId, id: ConnectionId) => Found
    /** By id alone, for the engine, which runs per connection and learns the organization from it. */
    readonly find: (id: ConnectionId) => Found
    /** `find` with the settings' version (`settingsVersion`) read in the same statement. */
    readonly findVersioned: (
      id: ConnectionId,
    ) => Io<{ readonly connection: Connection; readonly version: string }, ConnectionNotFound | CredentialsUnreadable>
    readonly list: (org: OrganizationId) => Io<ReadonlyArray<ConnectionSummary>>
    /**
     * Replaces the settings (name, base URL, credentials, options, enabled); what the adapter learned (scheme,
     * identities, facts) stays, so an operator's edit never races an adapter's learning.
     */
    readonly update: (connection: NewConnection) => Found
    /** When the settings last changed: an adapter built before then is stale. */
    readonly settingsVersion: (id: ConnectionId) => Io<string, ConnectionNotFound>
    /** What an adapter learned, kept without changing the settings' version. */
    readonly saveScheme: (id: ConnectionId, scheme: StatusScheme) => Io<void>
    readonly learnIdentity: (id: ConnectionId, entry: IdentityEntry) => Io<void>
    readonly saveFact: (id: ConnectionId, key: string, value: Schema.Json) => Io<void>
  }
>()("@taskbridge/db/ConnectionRepository") {}

const SummaryRow = Schema.Struct({ connection: Schema.toCodecJson(ConnectionSummary) })
const VersionRow = Schema.Struct({ version: Schema.String })
const SecretRow = Schema.Struct({ connection: Schema.toCodecJson(ConnectionSummary), credentials: Schema.String })
const VersionedRow = Schema.Struct({ ...SecretRow.fields, version: Schema.String })
const { statusScheme, identityMap, options } = ConnectionSummary.fields
/** The JSON columns, encoded with the domain's codecs. */
const Stored = Schema.Struct({
  statusScheme: Schema.toCodecJson(statusScheme),
  identityMap: Schema.toCodecJson(identityMap),
  options: Schema.toCodecJson(options),
})

/** The settings' version of the connection at alias `c`: its last change, to the microsecond. */
const versionOf = (sql: SqlClient) => sql`to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

/** The connection at alias `c`, without credentials, in the shape `Schema.toCodecJson(ConnectionSummary)` reads. */
const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', c.id, 'organizationId', c.organization_id, 'vendor', c.vendor, 'name', c.name, 'baseUrl', c.base_url,
  'statusScheme', c.status_scheme, 'identityMap', c.identity_map, 'options', c.options,
  'learnedFacts', c.learned_facts, 'enabled', c.enabled, 'createdAt', c.created_at, 'updatedAt', c.updated_at)`

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const secrets = yield* Secrets
  const encodeStored = encode("ConnectionRepository.encode", Stored)

  const open = Effect.fn("ConnectionRepository.open")(function* (
    row: { readonly connection: ConnectionSummary; readonly credentials: string } | null,
    id: ConnectionId,
  ) {
    if (row === null) return yield* new ConnectionNotFound({ id })
    const credentials = yield* secrets
      .decrypt(row.credentials, id)
      .pipe(Effect.mapError((e) => new CredentialsUnreadable({ connectionId: id, reason: e.reason })))
    return { ...row.connection, credentials }
  })

  const get = Effect.fn("ConnectionRepository.get")(function* (org: OrganizationId, id: ConnectionId) {
    const row = yield* firstRow(
      "ConnectionRepository.get",
      SecretRow,
    )(sql`
      SELECT ${projection(sql)} AS connection, c.credentials FROM connections c
      WHERE c.organization_id = ${org} AND c.id = ${id}`)
    return yield* open(row, id)
  })

  // One query by id for `find` and `findVersioned`: the version beside the row costs nothing.
  const byId = (id: ConnectionId) =>
    firstRow(
      "ConnectionRepository.find",
      VersionedRow,
    )(sql`SELECT ${projection(sql)} AS connection, c.credentials, ${versionOf(sql)} AS version
          FROM connections c WHERE c.id = ${id}`)

  const find = Effect.fn("ConnectionRepository.find")(function* (id: ConnectionId) {
    return yield* open(yield* byId(id), id)
  })

  const findVersioned = Effect.fn("ConnectionRepository.findVersioned")(function* (id: ConnectionId) {
    const row = yield* byId(id)
    if (row === null) return yield* new ConnectionNotFound({ id })
    return { connection: yield* open(row, id), version: row.version }
  })

  const list = Effect.fn("ConnectionRepository.list")(function* (org: OrganizationId) {
    const found = yield* rows(
      "ConnectionRepository.list",
      SummaryRow,
    )(
      sql`SELECT ${projection(sql)} AS connection FROM connections c WHERE c.organization_id = ${org} ORDER BY c.name, c.id`,
    )
    return found.map((row) => row.connection)
  })

  const create = Effect.fn("ConnectionRepository.create")(function* (c: NewConnection) {
    const json = yield* encodeStored(c)
    const credentials = yield* secrets.encrypt(c.credentials, c.id)
    const row = yield* firstRow(
      "ConnectionRepository.create",
      SecretRow,
    )(sql`
      WITH c AS (
        INSERT INTO connections (id, organization_id, vendor, name, base_url, credentials, status_scheme,
                                 identity_map, options, enabled)
        VALUES (${c.id}, ${c.organizationId}, ${c.vendor}, ${c.name}, ${c.baseUrl}, ${credentials},
                ${sql.json(json.statusScheme)}, ${sql.json(json.identityMap)}, ${sql.json(json.options)}, ${c.enabled})
        RETURNING *
      )
      SELECT ${projection(sql)} AS connection, c.credentials FROM c`)
    if (row === null) return yield* Effect.die("INSERT … RETURNING returned no row")
    return { ...row.connection, credentials: c.credentials }
  })

  const settingsVersion = Effect.fn("ConnectionRepository.settingsVersion")(function* (id: ConnectionId) {
    const row = yield* firstRow(
      "ConnectionRepository.settingsVersion",
      VersionRow,
    )(sql`SELECT ${versionOf(sql)} AS version FROM connections c WHERE c.id = ${id}`)
    if (row === null) return yield* new ConnectionNotFound({ id })
    return row.version
  })

  const encodeScheme = encode("ConnectionRepository.saveScheme", Schema.toCodecJson(StatusScheme))
  const saveScheme = Effect.fn("ConnectionRepository.saveScheme")(function* (id: ConnectionId, scheme: StatusScheme) {
    const json = yield* encodeScheme(scheme)
    yield* exec("ConnectionRepository.saveScheme")(
      sql`UPDATE connections SET status_scheme = ${sql.json(json)} WHERE id = ${id}`,
    )
  })

  // The same rule as the domain's learnIdentity: a newer pair for the e-mail or the user id replaces the old one.
  const learnIdentity = Effect.fn("ConnectionRepository.learnIdentity")(function* (
    id: ConnectionId,
    entry: IdentityEntry,
  ) {
    yield* exec("ConnectionRepository.learnIdentity")(sql`
      UPDATE connections SET identity_map = COALESCE((
          SELECT jsonb_agg(e) FROM jsonb_array_elements(identity_map) e
          WHERE lower(e->>'email') <> lower(${entry.email}) AND e->>'userId' <> ${entry.userId}), '[]'::jsonb)
        || jsonb_build_array(jsonb_build_object('email', ${entry.email}::text, 'userId', ${entry.userId}::text))
      WHERE id = ${id}`)
  })

  const saveFact = Effect.fn("ConnectionRepository.saveFact")(function* (
    id: ConnectionId,
    key: string,
    value: Schema.Json,
  ) {
    yield* exec("ConnectionRepository.saveFact")(sql`
      UPDATE connections SET learned_facts = learned_facts || jsonb_build_object(${key}::text, ${sql.json(value)}::jsonb)
      WHERE id = ${id}`)
  })

  const update = Effect.fn("ConnectionRepository.update")(function* (c: NewConnection) {
    const json = yield* encodeStored(c)
    const credentials = yield* secrets.encrypt(c.credentials, c.id)
    const row = yield* firstRow(
      "ConnectionRepository.update",
      SecretRow,
    )(sql`
      WITH c AS (
        UPDATE connections SET name = ${c.name}, base_url = ${c.baseUrl}, credentials = ${credentials},
          options = ${sql.json(json.options)}, enabled = ${c.enabled}, updated_at = now()
        WHERE organization_id = ${c.organizationId} AND id = ${c.id}
        RETURNING *
      )
      SELECT ${projection(sql)} AS connection, c.credentials FROM c`)
    if (row === null) return yield* new ConnectionNotFound({ id: c.id })
    return { ...row.connection, credentials: c.credentials }
  })

  return ConnectionRepository.of({
    create,
    get,
    find,
    list,
    update,
    settingsVersion,
    findVersioned,
    saveScheme,
    learnIdentity,
    saveFact,
  })
})

export const layer = Layer.effect(ConnectionRepository, make)
