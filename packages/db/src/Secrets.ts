// Encryption at rest for connection credentials: AES-256-GCM with the key from TASKBRIDGE_SECRET_KEY (base64 of 32
// bytes) or, for the embedded default only, a key generated once into `<dataDir>/secret.key` (mode 0600).
// Plaintext only ever exists as a Redacted value; errors name what failed, never the secret or the key.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { mkdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Config, Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { Database } from "./Database.ts"

/** A ciphertext that cannot be opened with this key (wrong key, tampered data, or bound to another record). */
export class SecretUnreadable extends Schema.TaggedError<SecretUnreadable>()("SecretUnreadable", {
  reason: Schema.String,
}) {}

/** The configured key is unusable, or none is configured where one is required. */
export class SecretKeyError extends Schema.TaggedError<SecretKeyError>()("SecretKeyError", {
  reason: Schema.String,
}) {}

export class Secrets extends Context.Service<
  Secrets,
  {
    /** `context` (e.g. the connection id) is authenticated with the ciphertext, so it cannot be moved to another row. */
    readonly encrypt: (plaintext: Redacted.Redacted<string>, context: string) => Effect.Effect<string>
    readonly decrypt: (envelope: string, context: string) => Effect.Effect<Redacted.Redacted<string>, SecretUnreadable>
  }
>()("@taskbridge/db/Secrets") {}

const VERSION = "v1"
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url")

/** Builds the service around a 32-byte key. */
export const make = (key: Redacted.Redacted<Uint8Array>) => {
  const encrypt = Effect.fn("Secrets.encrypt")(function* (plaintext: Redacted.Redacted<string>, context: string) {
    return yield* Effect.sync(() => {
      // A fresh 96-bit IV per encryption: GCM must never reuse an IV under one key.
      const iv = randomBytes(12)
      const cipher = createCipheriv("aes-256-gcm", Redacted.value(key), iv)
      cipher.setAAD(Buffer.from(context, "utf8"))
      const body = Buffer.concat([cipher.update(Redacted.value(plaintext), "utf8"), cipher.final()])
      return [VERSION, b64(iv), b64(cipher.getAuthTag()), b64(body)].join(".")
    })
  })
  const decrypt = Effect.fn("Secrets.decrypt")(function* (envelope: string, context: string) {
    const [version, iv, tag, body] = envelope.split(".")
    if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
      return yield* new SecretUnreadable({ reason: "not a v1 secret envelope" })
    }
    return yield* Effect.try({
      try: () => {
        const decipher = createDecipheriv("aes-256-gcm", Redacted.value(key), Buffer.from(iv, "base64url"))
        decipher.setAAD(Buffer.from(context, "utf8"))
        decipher.setAuthTag(Buffer.from(tag, "base64url"))
        const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()])
        return Redacted.make(text.toString("utf8"))
      },
      // GCM cannot tell a wrong key from tampering; the library's own message is dropped in case it quotes input.
      catch: () => new SecretUnreadable({ reason: "authentication failed: wrong key, or the data was altered" }),
    })
  })
  return Secrets.of({ encrypt, decrypt })
}

/** Decodes a base64 key; exactly 32 bytes, since AES-256 takes nothing else. */
export const parseKey = Effect.fn("Secrets.parseKey")(function* (base64: Redacted.Redacted<string>) {
  const bytes = Buffer.from(Redacted.value(base64).trim(), "base64")
  if (bytes.length !== 32) {
    return yield* new SecretKeyError({ reason: `TASKBRIDGE_SECRET_KEY must be base64 of 32 bytes` })
  }
  return Redacted.make(new Uint8Array(bytes))
})

/** Generates a base64 key; `openssl rand -base64 32` gives the same form. */
export const generateKey = (): Redacted.Redacted<string> => Redacted.make(randomBytes(32).toString("base64"))

const keyFileError = (cause: unknown) =>
  new SecretKeyError({ reason: `cannot use secret.key: ${cause instanceof Error ? cause.message : String(cause)}` })

/** Reads `<dataDir>/secret.key`, creating it first (0600, never overwritten) when it does not exist yet. */
export const embeddedKey = Effect.fn("Secrets.embeddedKey")(function* (dataDir: string) {
  const path = join(dataDir, "secret.key")
  const text = yield* Effect.tryPromise({
    try: async () => {
      await mkdir(dataDir, { recursive: true })
      // "wx" fails if the file exists, so a concurrent starter can never replace a key already in use.
      await writeFile(path, `${Redacted.value(generateKey())}\n`, { mode: 0o600, flag: "wx" }).catch(
        (error: NodeJS.ErrnoException) => (error.code === "EEXIST" ? undefined : Promise.reject(error)),
      )
      return readFile(path, "utf8")
    },
    catch: keyFileError,
  })
  return yield* parseKey(Redacted.make(text))
})

/** The key from config; without one, the embedded default keeps its own key file and PostgreSQL refuses to start. */
export const layer = Layer.effect(
  Secrets,
  Effect.gen(function* () {
    const configured = yield* Config.option(Config.Redacted("TASKBRIDGE_SECRET_KEY"))
    const { backend } = yield* Database
    const key = yield* Option.match(configured, {
      onSome: parseKey,
      onNone: () =>
        backend._tag === "embedded"
          ? embeddedKey(backend.dataDir)
          : Effect.fail(new SecretKeyError({ reason: "TASKBRIDGE_SECRET_KEY is required with DATABASE_URL" })),
    })
    return make(key)
  }),
)

/** A fixed key, for tests and tools. */
export const layerKey = (key: Redacted.Redacted<Uint8Array>) => Layer.succeed(Secrets, make(key))
