// Migration 1: organizations, their API tokens (only a SHA-256 hash is stored) and vendor connections (credentials
// only as an AES-256-GCM envelope, see Secrets.ts).
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`
    CREATE TABLE organizations (
      id text PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`
  yield* sql`
    CREATE TABLE api_tokens (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
      -- Hex SHA-256 of the token. UNIQUE is also the index every authenticated request looks the token up by.
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`
  // The console lists an organization's tokens.
  yield* sql`CREATE INDEX api_tokens_organization ON api_tokens (organization_id)`
  yield* sql`
    CREATE TABLE connections (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      vendor text NOT NULL CHECK (vendor IN ('candid', 'vambe', 'koreai', 'spry', 'carevalidate')),
      name text NOT NULL,
      base_url text NOT NULL,
      -- "v1.<iv>.<tag>.<ciphertext>" (base64url); never the plaintext.
      credentials text NOT NULL,
      status_scheme jsonb,
      identity_map jsonb NOT NULL DEFAULT '[]',
      options jsonb NOT NULL DEFAULT '{}',
      enabled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`
  // The console and the scheduler list an organization's connections.
  yield* sql`CREATE INDEX connections_organization ON connections (organization_id, vendor)`
})
