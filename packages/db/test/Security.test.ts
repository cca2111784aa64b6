// Secrets at rest on every backend: connection credentials are stored only encrypted and fail closed with a typed
// error that never quotes them; API tokens are stored only as hashes; the embedded key file is private and stable;
// a store failure is described without the values the database quotes back.
import { createHash } from "node:crypto"
import { mkdtemp, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it, layer } from "@effect/vitest"
import { ConnectionId } from "@taskbridge/domain/Ids"
import { Effect, Redacted, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Connections from "../src/ConnectionRepository.ts"
import * as Store from "../src/internal/Store.ts"
import { OrganizationRepository } from "../src/OrganizationRepository.ts"
import * as Secrets from "../src/Secrets.ts"
import { backends, stack } from "./backends.ts"
import { connection, organization } from "./fixtures.ts"

const secret = "sk_live_51HxSECRETvalue"
const otherKey = Redacted.make(new Uint8Array(32).fill(9))

for (const backend of backends) {
  describe(`secrets at rest [${backend.name}]`, () => {
    layer(stack(backend), { excludeTestServices: true })((it) => {
      it.effect("stores connection credentials only encrypted and decrypts them back", () =>
        Effect.gen(function* () {
          const connections = yield* Connections.ConnectionRepository
          const sql = yield* SqlClient
          const org = yield* organization()
          const id = yield* connection(org, "candid", secret)
          const [raw] = yield* sql<{ credentials: string }>`SELECT credentials FROM connections WHERE id = ${id}`
          assert.match(raw?.credentials ?? "", /^v1\./)
          assert.notInclude(raw?.credentials ?? secret, secret)
          const found = yield* connections.get(org, id)
          assert.strictEqual(Redacted.value(found.credentials), secret)
          assert.notInclude(JSON.stringify(found) + String(found.credentials), secret)
          const [listed] = yield* connections.list(org)
          assert.deepStrictEqual([listed?.id, listed && "credentials" in listed], [id, false])
        }),
      )

      it.effect("describes a store failure by its SQLSTATE and masked message, never by the value it quotes", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient
          const failure = yield* Effect.flip(
            Store.rows("Security.uuid", Schema.Unknown)(sql`SELECT ${"Jane Roe, DOB 1961-04-02"}::uuid AS id`),
          )
          assert.strictEqual(failure.operation, "Security.uuid")
          assert.include(failure.detail, "SQLSTATE 22P02")
          assert.notInclude(failure.detail, "Jane")
          assert.notInclude(failure.message, "1961")
          const decoded = yield* Effect.flip(
            Store.rows("Security.decode", Schema.Struct({ n: Schema.Number }))(sql`SELECT 'Jane Roe' AS n`),
          )
          assert.include(decoded.detail, "n ")
          assert.notInclude(decoded.detail, "Jane")
        }),
      )

      it.effect("fails with a typed error that does not contain the secret under a wrong key or on another row", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient
          const org = yield* organization()
          const id = yield* connection(org, "vambe", secret)
          const wrongKey = yield* Connections.make.pipe(Effect.provide(Secrets.layerKey(otherKey)))
          const error = yield* Effect.flip(wrongKey.get(org, id))
          assert.strictEqual(error._tag, "CredentialsUnreadable")
          assert.notInclude(`${error.message} ${JSON.stringify(error)}`, secret)
          // A ciphertext is bound to its connection id: copied onto another row it does not open.
          const victim = yield* connection(org, "spry", "another-key")
          yield* sql`UPDATE connections SET credentials = (SELECT credentials FROM connections WHERE id = ${id})
                     WHERE id = ${victim}`
          const connections = yield* Connections.ConnectionRepository
          assert.strictEqual((yield* Effect.flip(connections.get(org, victim)))._tag, "CredentialsUnreadable")
        }),
      )

      it.effect("updates a connection in place and keeps it inside its organization", () =>
        Effect.gen(function* () {
          const connections = yield* Connections.ConnectionRepository
          const org = yield* organization()
          const other = yield* organization()
          const id = yield* connection(org, "koreai", secret)
          const current = yield* connections.get(org, id)
          const rotated = {
            ...current,
            credentials: Redacted.make("rotated"),
            options: { botId: "st-1" },
            enabled: false,
          }
          yield* connections.update(rotated)
          const read = yield* connections.find(id)
          assert.deepStrictEqual(
            [Redacted.value(read.credentials), read.options, read.enabled],
            ["rotated", { botId: "st-1" }, false],
          )
          assert.strictEqual((yield* Effect.flip(connections.get(other, id)))._tag, "ConnectionNotFound")
          const moved = yield* Effect.flip(connections.update({ ...rotated, organizationId: other }))
          assert.strictEqual(moved._tag, "ConnectionNotFound")
          assert.strictEqual(
            (yield* Effect.flip(connections.find(ConnectionId.make("nope"))))._tag,
            "ConnectionNotFound",
          )
        }),
      )

      it.effect("verifies API tokens by their hash and forgets revoked ones", () =>
        Effect.gen(function* () {
          const orgs = yield* OrganizationRepository
          const sql = yield* SqlClient
          const org = yield* organization()
          const issued = yield* orgs.issueToken(org, "ci", "operator")
          const token = Redacted.value(issued.token)
          const [row] = yield* sql<{ token_hash: string }>`SELECT token_hash FROM api_tokens WHERE id = ${issued.id}`
          assert.strictEqual(row?.token_hash, createHash("sha256").update(token).digest("hex"))
          assert.deepStrictEqual(yield* orgs.verifyToken(issued.token), {
            tokenId: issued.id,
            organizationId: org,
            name: "ci",
            role: "operator",
          })
          assert.isNull(yield* orgs.verifyToken(Redacted.make(`${token}x`)))
          yield* orgs.revokeToken(org, issued.id)
          assert.isNull(yield* orgs.verifyToken(issued.token))
        }),
      )
    })
  })
}

describe("the embedded secret key", () => {
  it.effect("is generated once into a 0600 file and reused on the next start", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "taskbridge-key-"))),
        (d) => Effect.promise(() => rm(d, { recursive: true, force: true })),
      )
      const first = Secrets.make(yield* Secrets.embeddedKey(dir))
      const second = Secrets.make(yield* Secrets.embeddedKey(dir))
      const sealed = yield* first.encrypt(Redacted.make(secret), "c-1")
      assert.strictEqual(Redacted.value(yield* second.decrypt(sealed, "c-1")), secret)
      const mode = (yield* Effect.promise(() => stat(join(dir, "secret.key")))).mode & 0o777
      assert.strictEqual(mode, 0o600)
    }).pipe(Effect.scoped),
  )

  it.effect("refuses a key that is not 32 bytes without echoing it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Secrets.parseKey(Redacted.make("c2hvcnQta2V5")))
      assert.strictEqual(error._tag, "SecretKeyError")
      assert.notInclude(error.message, "c2hvcnQta2V5")
    }),
  )
})
