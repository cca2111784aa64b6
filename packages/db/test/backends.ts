// Runs a suite on every backend: embedded PGlite (a fresh data dir per suite) always, and real PostgreSQL (a fresh
// `tb_<random>` database per suite, dropped afterwards) when TEST_DATABASE_URL is set, so runs never collide.
import { createHash, randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { cp, mkdtemp, rename, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { PGlite } from "@electric-sql/pglite"
import { Effect, Layer, Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import type { SqlClient } from "effect/sql/SqlClient"
import * as Database from "../src/Database.ts"
import * as Persistence from "../src/Persistence.ts"
import * as Secrets from "../src/Secrets.ts"

export type DatabaseLayer = Layer.Layer<PgClient.PgClient | SqlClient | Database.Database, unknown>

export interface Backend {
  readonly name: "pglite" | "postgres"
  /** A client on a fresh, empty database; the suite decides whether to migrate it. */
  readonly fresh: () => DatabaseLayer
}

// initdb inside PGlite takes seconds; a freshly initialised cluster is made once per machine and PGlite version and
// copied for each suite, which keeps every suite on its own data dir at the cost of a directory copy.
// Keyed by the resolved package path, which names the installed PGlite version.
const pgliteId = createHash("sha256")
  .update(import.meta.resolve("@electric-sql/pglite"))
  .digest("hex")
  .slice(0, 16)
const templateDir = join(tmpdir(), `taskbridge-pglite-template-${pgliteId}`)

const ensureTemplate = async () => {
  if (existsSync(join(templateDir, "PG_VERSION"))) return
  const building = await mkdtemp(join(tmpdir(), "taskbridge-pglite-build-"))
  const db = await PGlite.create(building)
  await db.close()
  // Another worker may have won the race; its template is as good as ours.
  await rename(building, templateDir).catch(() => rm(building, { recursive: true, force: true }))
}

/** A temporary data dir holding an initialised, empty cluster; removed when the scope closes. */
export const freshDataDir = Effect.acquireRelease(
  Effect.promise(async () => {
    await ensureTemplate()
    const dir = await mkdtemp(join(tmpdir(), "taskbridge-db-test-"))
    await cp(templateDir, dir, { recursive: true })
    return dir
  }),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true })),
)

const pglite: Backend = {
  name: "pglite",
  fresh: () => Layer.unwrap(Effect.map(freshDataDir, Database.layerEmbedded)),
}

const withDatabase = (url: string, name: string) => {
  const next = new URL(url)
  next.pathname = `/${name}`
  return next.toString()
}

const postgres = (adminUrl: string): Backend => ({
  name: "postgres",
  fresh: () =>
    Layer.unwrap(
      Effect.gen(function* () {
        const admin = yield* PgClient.make({ url: Redacted.make(adminUrl), maxConnections: 1 }).pipe(
          Effect.provide(Reactivity.layer),
        )
        const name = `tb_${randomBytes(6).toString("hex")}`
        yield* Effect.acquireRelease(admin`CREATE DATABASE ${admin(name)}`, () =>
          Effect.orDie(admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`),
        )
        return Database.layerPostgres(Redacted.make(withDatabase(adminUrl, name)))
      }),
    ),
})

const testUrl = process.env.TEST_DATABASE_URL
/** PGlite always; PostgreSQL only when TEST_DATABASE_URL names a server (it is a parameter, not a skip). */
export const backends: ReadonlyArray<Backend> = testUrl ? [pglite, postgres(testUrl)] : [pglite]

console.log(`database backends under test: ${backends.map((b) => b.name).join(", ")}`)

/** A fresh backend with the schema applied. */
export const migrated = (backend: Backend) => Database.migrated(backend.fresh())

/** A fixed test key: the suites that need a wrong key build their own. */
export const testKey = Redacted.make(new Uint8Array(32).fill(7))

/** A fresh, migrated backend with every repository, as the apps get it. */
export const stack = (backend: Backend) =>
  Persistence.layerRepositories.pipe(
    Layer.provideMerge(Secrets.layerKey(testKey)),
    Layer.provideMerge(migrated(backend)),
  )
