// Runs a suite on every backend: embedded PGlite (a fresh data dir per suite) always, and real PostgreSQL (a fresh
// `tb_<random>` database per suite, dropped afterwards) when TEST_DATABASE_URL is set, so runs never collide.
import { createHash } from "node:crypto"
import { existsSync } from "node:fs"
import { cp, mkdtemp, readdir, readFile, rename, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { PgClient } from "@effect/sql-pg"
import { PGlite } from "@electric-sql/pglite"
import { Effect, Layer, Redacted } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import * as Database from "../src/Database.ts"
import * as Migrations from "../src/Migrations.ts"
import * as Persistence from "../src/Persistence.ts"
import * as Secrets from "../src/Secrets.ts"
import { scratchDatabase } from "./scratch.ts"

export type DatabaseLayer = Layer.Layer<PgClient.PgClient | SqlClient | Database.Database, unknown>

export interface Backend {
  readonly name: "pglite" | "postgres"
  /** A client on a fresh, empty database (no migrations applied). */
  readonly fresh: () => DatabaseLayer
  /** A client on a fresh database with the schema applied. */
  readonly migrated: () => DatabaseLayer
}

// initdb and the migrations take PGlite seconds, so each state is built once per machine into a template folder and
// copied for every suite: each suite still gets its own data dir. Templates are keyed by what they were built from
// (the installed PGlite, and for the migrated one the migration sources), so a change rebuilds them.
const hash = (...parts: ReadonlyArray<string>) =>
  createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 16)
const pgliteId = hash(import.meta.resolve("@electric-sql/pglite"))
const migrationsDir = new URL("../src/migrations/", import.meta.url)

/** Builds a template with `build` unless it exists; concurrent builders race and the loser discards its copy. */
const template = (name: string, build: (dir: string) => Promise<void>) => async () => {
  const dir = join(tmpdir(), `taskbridge-pglite-${name}`)
  if (existsSync(join(dir, "PG_VERSION"))) return dir
  const building = await mkdtemp(join(tmpdir(), "taskbridge-pglite-build-"))
  await build(building)
  await rename(building, dir).catch(() => rm(building, { recursive: true, force: true }))
  return dir
}

const emptyTemplate = template(`empty-${pgliteId}`, async (dir) => {
  const db = await PGlite.create(dir)
  await db.close()
})

const migratedTemplate = async () => {
  const files = (await readdir(migrationsDir)).sort()
  const sources = await Promise.all(files.map((file) => readFile(new URL(file, migrationsDir), "utf8")))
  const build = template(`migrated-${hash(pgliteId, ...sources)}`, async (dir) => {
    await cp(await emptyTemplate(), dir, { recursive: true })
    await Effect.runPromise(Effect.provide(Migrations.run, Database.layerEmbedded(dir)))
  })
  return build()
}

/** A temporary copy of a template data dir, removed when the scope closes. */
const copyOf = (source: () => Promise<string>) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await mkdtemp(join(tmpdir(), "taskbridge-db-test-"))
      await cp(await source(), dir, { recursive: true })
      return dir
    }),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true })),
  )

/** A temporary data dir holding an initialised, empty cluster. */
export const freshDataDir = copyOf(emptyTemplate)

/** A temporary data dir whose cluster already has the schema. */
export const migratedDataDir = copyOf(migratedTemplate)

const pglite: Backend = {
  name: "pglite",
  fresh: () => Layer.unwrap(Effect.map(freshDataDir, Database.layerEmbedded)),
  // Still runs the migrator on open, which finds nothing to do, as on a restart.
  migrated: () => Layer.unwrap(Effect.map(migratedDataDir, (dir) => Database.migrated(Database.layerEmbedded(dir)))),
}

const postgres = (adminUrl: string): Backend => {
  const fresh = () => scratchDatabase(adminUrl)
  return { name: "postgres", fresh, migrated: () => Database.migrated(fresh()) }
}

const testUrl = process.env.TEST_DATABASE_URL
/** PGlite always; PostgreSQL only when TEST_DATABASE_URL names a server (it is a parameter, not a skip). */
export const backends: ReadonlyArray<Backend> = testUrl ? [pglite, postgres(testUrl)] : [pglite]

console.log(`database backends under test: ${backends.map((b) => b.name).join(", ")}`)

/** A fixed test key: the suites that need a wrong key build their own. */
export const testKey = Redacted.make(new Uint8Array(32).fill(7))

/** A fresh, migrated backend with every repository, as the apps get it. */
export const stack = (backend: Backend) =>
  Persistence.layerRepositories.pipe(
    Layer.provideMerge(Secrets.layerKey(testKey)),
    Layer.provideMerge(backend.migrated()),
  )
