// Test support shared by every package whose suites need a database: each suite runs on embedded PGlite always (a
// fresh data dir per suite) and on real PostgreSQL when TEST_DATABASE_URL is set (a fresh `tb_<random>` database,
// dropped afterwards), and gets the database as environment variables too, so a child process can open it.
import { createHash, randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { cp, mkdtemp, rename, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { PGlite } from "@electric-sql/pglite"
import { Effect, Layer, Redacted, type Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import type { SqlClient } from "effect/sql/SqlClient"
import * as Database from "../Database.ts"
import * as Persistence from "../Persistence.ts"
import * as Secrets from "../Secrets.ts"

export type DatabaseLayer = Layer.Layer<PgClient.PgClient | SqlClient | Database.Database, unknown>

export interface FreshDatabase {
  /** What `Database.layerClient` reads in another process: `DATABASE_URL` or `TASKBRIDGE_DATA_DIR`. */
  readonly env: Readonly<Record<string, string>>
  /** This process's client on it. For PGlite only one process may hold the data dir at a time. */
  readonly layer: DatabaseLayer
}

export interface Backend {
  readonly name: "pglite" | "postgres"
  /** A fresh, empty database that lives as long as the scope. */
  readonly fresh: Effect.Effect<FreshDatabase, never, Scope.Scope>
}

// initdb inside PGlite takes seconds, so an initialised cluster is kept per installed PGlite and copied per suite.
// Named like the db package's empty template, so the two test helpers build it once between them.
const pgliteId = createHash("sha256")
  .update(import.meta.resolve("@electric-sql/pglite"))
  .digest("hex")
  .slice(0, 16)
const templateDir = join(tmpdir(), `taskbridge-pglite-empty-${pgliteId}`)

const ensureTemplate = async () => {
  if (existsSync(join(templateDir, "PG_VERSION"))) return
  const building = await mkdtemp(join(tmpdir(), "taskbridge-pglite-build-"))
  const db = await PGlite.create(building)
  await db.close()
  // Another worker may have won the race; its template is as good as ours.
  await rename(building, templateDir).catch(() => rm(building, { recursive: true, force: true }))
}

const freshDataDir = Effect.acquireRelease(
  Effect.promise(async () => {
    await ensureTemplate()
    const dir = await mkdtemp(join(tmpdir(), "taskbridge-sync-test-"))
    await cp(templateDir, dir, { recursive: true })
    return dir
  }),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true })),
)

export const pglite: Backend = {
  name: "pglite",
  fresh: Effect.map(freshDataDir, (dir) => ({
    env: { TASKBRIDGE_DATA_DIR: dir },
    layer: Database.layerEmbedded(dir),
  })),
}

const withDatabase = (url: string, name: string) => {
  const next = new URL(url)
  next.pathname = `/${name}`
  return next.toString()
}

/**
 * A fresh database per `fresh` on the server `adminUrl` names (it connects to create and drop them). Each of the two
 * statements gets a client of its own, closed at once: a client held open for the database's whole life was seen,
 * after benchmark runs of many minutes, to wait forever for its one connection when the drop came (no socket open).
 */
export const postgres = (adminUrl: string): Backend => {
  const administer = <A>(statement: (admin: PgClient.PgClient) => Effect.Effect<A, unknown>) =>
    Effect.scoped(Effect.flatMap(PgClient.make({ url: Redacted.make(adminUrl), maxConnections: 1 }), statement)).pipe(
      Effect.provide(Reactivity.layer),
      Effect.orDie,
    )
  return {
    name: "postgres",
    fresh: Effect.gen(function* () {
      const name = `tb_${randomBytes(6).toString("hex")}`
      yield* Effect.acquireRelease(
        administer((admin) => admin`CREATE DATABASE ${admin(name)}`),
        () => administer((admin) => admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`),
      )
      const url = withDatabase(adminUrl, name)
      return { env: { DATABASE_URL: url }, layer: Database.layerPostgres(Redacted.make(url)) }
    }),
  }
}

const testUrl = process.env.TEST_DATABASE_URL
/** PGlite always; PostgreSQL only when TEST_DATABASE_URL names a server (it is a parameter, not a skip). */
export const backends: ReadonlyArray<Backend> = testUrl ? [pglite, postgres(testUrl)] : [pglite]

console.log(`database backends under test: ${backends.map((b) => b.name).join(", ")}`)

/** Every repository on `db` (migrated), opening credentials with `key`: what the apps get, on a test database. */
export const repositories = (db: FreshDatabase, key: Uint8Array) =>
  Persistence.layerRepositories.pipe(
    Layer.provideMerge(Secrets.layerKey(Redacted.make(key))),
    Layer.provideMerge(Database.migrated(db.layer)),
  )
