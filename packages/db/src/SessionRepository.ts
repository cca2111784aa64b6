// Browser sessions and one-time sign-in codes for the admin console. Each speaks for one API token (its
// organization, role and name); only SHA-256 hashes of session ids and codes are stored, and a session or code
// whose token is revoked verifies as nothing, so revoking a token signs its browsers out.
import { randomBytes } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import type { PersistenceError } from "@taskbridge/domain/ports/Repositories"
import { Context, Effect, Layer, Redacted, Schema } from "effect"
import { exec, firstRow } from "./internal/Store.ts"
import { hashToken, TokenIdentity } from "./OrganizationRepository.ts"

/** A session as the console sees who is signed in. */
export const SessionInfo = Schema.Struct({
  identity: TokenIdentity,
  organizationName: Schema.String,
  expiresAt: Schema.DateTimeUtc,
})
export type SessionInfo = typeof SessionInfo.Type

export interface OpenedSession {
  /** The cookie's value: 256 random bits, shown once; only its hash is kept. */
  readonly id: Redacted.Redacted<string>
  readonly info: SessionInfo
}

/** Why a sign-in code was not accepted: never issued, already used once, or past its time. */
export type Redemption =
  | { readonly _tag: "Redeemed"; readonly session: OpenedSession }
  | { readonly _tag: "Spent" }
  | { readonly _tag: "Expired" }
  | { readonly _tag: "Unknown" }

type Io<A> = Effect.Effect<A, PersistenceError>

export class SessionRepository extends Context.Service<
  SessionRepository,
  {
    /** A new session for a live token; null when the token is unknown or revoked. */
    readonly open: (tokenId: string, lifetimeSeconds: number) => Io<OpenedSession | null>
    /** The session's identity; null when it is unknown, ended, expired or its token revoked. */
    readonly verify: (id: Redacted.Redacted<string>) => Io<SessionInfo | null>
    /** Ends the session (sign-out); ending an unknown one does nothing. */
    readonly end: (id: Redacted.Redacted<string>) => Io<void>
    /** A single-use code that opens a session for the token (the printed sign-in link). */
    readonly issueCode: (tokenId: string, lifetimeSeconds: number) => Io<Redacted.Redacted<string>>
    /** Spends the code (atomically: of two concurrent redemptions one wins) and opens a session. */
    readonly redeemCode: (code: Redacted.Redacted<string>, sessionSeconds: number) => Io<Redemption>
  }
>()("@taskbridge/db/SessionRepository") {}

const InfoRow = Schema.Struct({ info: Schema.toCodecJson(SessionInfo) })
const TokenRow = Schema.Struct({ token_id: Schema.String })
const StateRow = Schema.Struct({ spent: Schema.Boolean })

const secret = () => Redacted.make(randomBytes(32).toString("base64url"))

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  /** The identity of the session whose hash is `hash`, live only. */
  const infoOf = (hash: string) =>
    firstRow(
      "SessionRepository.verify",
      InfoRow,
    )(sql`
      SELECT jsonb_build_object(
        'identity', jsonb_build_object('tokenId', t.id, 'organizationId', t.organization_id, 'name', t.name,
                                       'role', t.role),
        'organizationName', o.name,
        'expiresAt', to_char(s.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS info
      FROM sessions s JOIN api_tokens t ON t.id = s.token_id JOIN organizations o ON o.id = t.organization_id
      WHERE s.id_hash = ${hash} AND s.ended_at IS NULL AND s.expires_at > now() AND t.revoked_at IS NULL`)

  const open = Effect.fn("SessionRepository.open")(function* (tokenId: string, lifetimeSeconds: number) {
    const id = secret()
    const hash = hashToken(id)
    // The token's dead sessions go as a new one opens, so the table stays the size of the live ones.
    yield* exec("SessionRepository.open")(sql`
      DELETE FROM sessions WHERE token_id = ${tokenId} AND (expires_at < now() OR ended_at IS NOT NULL)`)
    yield* exec("SessionRepository.open")(sql`
      INSERT INTO sessions (id_hash, token_id, expires_at)
      SELECT ${hash}, t.id, now() + make_interval(secs => ${lifetimeSeconds})
      FROM api_tokens t WHERE t.id = ${tokenId} AND t.revoked_at IS NULL`)
    const row = yield* infoOf(hash)
    return row === null ? null : { id, info: row.info }
  })

  const verify = Effect.fn("SessionRepository.verify")(function* (id: Redacted.Redacted<string>) {
    return (yield* infoOf(hashToken(id)))?.info ?? null
  })

  const end = Effect.fn("SessionRepository.end")(function* (id: Redacted.Redacted<string>) {
    yield* exec("SessionRepository.end")(
      sql`UPDATE sessions SET ended_at = now() WHERE id_hash = ${hashToken(id)} AND ended_at IS NULL`,
    )
  })

  const issueCode = Effect.fn("SessionRepository.issueCode")(function* (tokenId: string, lifetimeSeconds: number) {
    const code = secret()
    // Spent or expired codes are kept a day (a second use still says "already used"), then dropped.
    yield* exec("SessionRepository.issueCode")(
      sql`DELETE FROM signin_codes WHERE expires_at < now() - interval '1 day'`,
    )
    yield* exec("SessionRepository.issueCode")(sql`
      INSERT INTO signin_codes (code_hash, token_id, expires_at)
      VALUES (${hashToken(code)}, ${tokenId}, now() + make_interval(secs => ${lifetimeSeconds}))`)
    return code
  })

  const redeemCode = Effect.fn("SessionRepository.redeemCode")(function* (
    code: Redacted.Redacted<string>,
    sessionSeconds: number,
  ) {
    const hash = hashToken(code)
    // The UPDATE is the single use: only one redemption can see `used_at IS NULL` and set it.
    const spent = yield* firstRow(
      "SessionRepository.redeemCode",
      TokenRow,
    )(sql`
      UPDATE signin_codes SET used_at = now()
      WHERE code_hash = ${hash} AND used_at IS NULL AND expires_at > now() RETURNING token_id`)
    if (spent !== null) {
      const session = yield* open(spent.token_id, sessionSeconds)
      return session === null ? ({ _tag: "Unknown" } as const) : ({ _tag: "Redeemed", session } as const)
    }
    const state = yield* firstRow(
      "SessionRepository.redeemCode",
      StateRow,
    )(sql`SELECT used_at IS NOT NULL AS spent FROM signin_codes WHERE code_hash = ${hash}`)
    if (state === null) return { _tag: "Unknown" } as const
    return state.spent ? ({ _tag: "Spent" } as const) : ({ _tag: "Expired" } as const)
  })

  return SessionRepository.of({ open, verify, end, issueCode, redeemCode })
})

export const layer = Layer.effect(SessionRepository, make)
