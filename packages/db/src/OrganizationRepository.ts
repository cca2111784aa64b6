// Organizations and their API tokens. A token is shown once when issued; only its SHA-256 hash is stored, and
// `verifyToken` looks the hash up (a preimage-resistant hash makes the index lookup safe to time). A db-owned
// service (no domain port): the API authenticates every request with it.
import { createHash, randomBytes, randomUUID } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { OrganizationId } from "@taskbridge/domain/Ids"
import type { PersistenceError } from "@taskbridge/domain/ports/Repositories"
import { Context, Effect, Layer, Redacted, Schema } from "effect"
import { exec, firstRow, rows } from "./internal/Store.ts"

/** `admin` manages connections and tokens; `operator` edits work and resolves conflicts; `viewer` reads. */
export const ApiRole = Schema.Literals(["admin", "operator", "viewer"])
export type ApiRole = typeof ApiRole.Type

export const Organization = Schema.Struct({ id: OrganizationId, name: Schema.String, createdAt: Schema.DateTimeUtc })
export type Organization = typeof Organization.Type

/** Who a verified token speaks for. */
export const TokenIdentity = Schema.Struct({
  tokenId: Schema.String,
  organizationId: OrganizationId,
  name: Schema.String,
  role: ApiRole,
})
export type TokenIdentity = typeof TokenIdentity.Type

/** A token as the console lists it: never the token itself, which only its holder has. */
export const TokenInfo = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  role: ApiRole,
  createdAt: Schema.DateTimeUtc,
  revokedAt: Schema.NullOr(Schema.DateTimeUtc),
})
export type TokenInfo = typeof TokenInfo.Type

export interface IssuedToken {
  readonly id: string
  /** The only time the token exists in plaintext: hand it to the caller and forget it. */
  readonly token: Redacted.Redacted<string>
}

type Io<A> = Effect.Effect<A, PersistenceError>

export class OrganizationRepository extends Context.Service<
  OrganizationRepository,
  {
    readonly create: (org: { readonly id: OrganizationId; readonly name: string }) => Io<Organization>
    readonly get: (id: OrganizationId) => Io<Organization | null>
    /** Every organization, oldest first (for operators: the recovery CLI). */
    readonly list: () => Io<ReadonlyArray<Organization>>
    readonly issueToken: (org: OrganizationId, name: string, role: ApiRole) => Io<IssuedToken>
    /** The token's organization and role; null for an unknown or revoked token. */
    readonly verifyToken: (token: Redacted.Redacted<string>) => Io<TokenIdentity | null>
    /** Revokes one of the organization's tokens; false when it has no such live token. */
    readonly revokeToken: (org: OrganizationId, tokenId: string) => Io<boolean>
    /** The organization's tokens, newest first, revoked ones included. */
    readonly listTokens: (org: OrganizationId) => Io<ReadonlyArray<TokenInfo>>
  }
>()("@taskbridge/db/OrganizationRepository") {}

const OrganizationRow = Schema.Struct({ organization: Schema.toCodecJson(Organization) })
const IdentityRow = Schema.Struct({ identity: TokenIdentity })

/** Hex SHA-256: tokens carry 256 random bits, so a plain hash (no salt, no slow KDF) cannot be brute-forced. */
export const hashToken = (token: Redacted.Redacted<string>): string =>
  createHash("sha256").update(Redacted.value(token), "utf8").digest("hex")

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const organization = (operation: string) => firstRow(operation, OrganizationRow)
  const json = sql`jsonb_build_object('id', o.id, 'name', o.name, 'createdAt', o.created_at)`

  const create = Effect.fn("OrganizationRepository.create")(function* (org: {
    readonly id: OrganizationId
    readonly name: string
  }) {
    const row = yield* organization("OrganizationRepository.create")(sql`
      WITH o AS (INSERT INTO organizations (id, name) VALUES (${org.id}, ${org.name}) RETURNING *)
      SELECT ${json} AS organization FROM o`)
    if (row === null) return yield* Effect.die("INSERT … RETURNING returned no row")
    return row.organization
  })

  const get = Effect.fn("OrganizationRepository.get")(function* (id: OrganizationId) {
    const row = yield* organization("OrganizationRepository.get")(
      sql`SELECT ${json} AS organization FROM organizations o WHERE o.id = ${id}`,
    )
    return row?.organization ?? null
  })

  const list = Effect.fn("OrganizationRepository.list")(function* () {
    const found = yield* rows(
      "OrganizationRepository.list",
      OrganizationRow,
    )(sql`SELECT ${json} AS organization FROM organizations o ORDER BY o.created_at, o.id`)
    return found.map((row) => row.organization)
  })

  const issueToken = Effect.fn("OrganizationRepository.issueToken")(function* (
    org: OrganizationId,
    name: string,
    role: ApiRole,
  ) {
    const id = randomUUID()
    // The prefix lets secret scanners and humans recognise a leaked taskbridge token.
    const token = Redacted.make(`tb_${randomBytes(32).toString("base64url")}`)
    yield* exec("OrganizationRepository.issueToken")(sql`
      INSERT INTO api_tokens (id, organization_id, name, role, token_hash)
      VALUES (${id}, ${org}, ${name}, ${role}, ${hashToken(token)})`)
    return { id, token }
  })

  const verifyToken = Effect.fn("OrganizationRepository.verifyToken")(function* (token: Redacted.Redacted<string>) {
    const row = yield* firstRow(
      "OrganizationRepository.verifyToken",
      IdentityRow,
    )(sql`
      SELECT jsonb_build_object('tokenId', t.id, 'organizationId', t.organization_id, 'name', t.name,
                                'role', t.role) AS identity
      FROM api_tokens t WHERE t.token_hash = ${hashToken(token)} AND t.revoked_at IS NULL`)
    return row?.identity ?? null
  })

  const revokeToken = Effect.fn("OrganizationRepository.revokeToken")(function* (org: OrganizationId, tokenId: string) {
    const revoked = yield* rows(
      "OrganizationRepository.revokeToken",
      Schema.Struct({ id: Schema.String }),
    )(sql`
      UPDATE api_tokens SET revoked_at = now()
      WHERE organization_id = ${org} AND id = ${tokenId} AND revoked_at IS NULL RETURNING id`)
    return revoked.length > 0
  })
  const listTokens = Effect.fn("OrganizationRepository.listTokens")(function* (org: OrganizationId) {
    const found = yield* rows(
      "OrganizationRepository.listTokens",
      Schema.Struct({ token: Schema.toCodecJson(TokenInfo) }),
    )(sql`
      SELECT jsonb_build_object('id', t.id, 'name', t.name, 'role', t.role, 'createdAt', t.created_at,
                                'revokedAt', t.revoked_at) AS token
      FROM api_tokens t WHERE t.organization_id = ${org} ORDER BY t.created_at DESC, t.id`)
    return found.map((row) => row.token)
  })

  return OrganizationRepository.of({ create, get, list, issueToken, verifyToken, revokeToken, listTokens })
})

export const layer = Layer.effect(OrganizationRepository, make)
