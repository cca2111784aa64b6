// The database connection: `DATABASE_URL` → PostgreSQL, otherwise the embedded default (PGlite in a local folder,
// served over pglite-socket to the same @effect/sql-pg driver). One code path: both provide PgClient + SqlClient.
// `layer` also applies the migrations; closing it stops the socket server and closes PGlite cleanly.
import { chmod, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import { Config, Context, Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import * as Migrations from "./Migrations.ts"

export type Backend =
  | { readonly _tag: "postgres" }
  /** `dataDir` is absolute; Secrets keeps the generated key next to the data. */
  | { readonly _tag: "embedded"; readonly dataDir: string }

/** Which backend this process runs on. */
export class Database extends Context.Service<Database, { readonly backend: Backend }>()("@taskbridge/db/Database") {}

export class DatabaseStartError extends Schema.TaggedError<DatabaseStartError>()("DatabaseStartError", {
  step: Schema.String,
  detail: Schema.String,
}) {
  override get message() {
    return `embedded database: ${this.step} failed: ${this.detail}`
  }
}

export const defaultDataDir = "./.taskbridge/data"

const startError = (step: string) => (cause: unknown) =>
  new DatabaseStartError({ step, detail: cause instanceof Error ? cause.message : String(cause) })

/** PostgreSQL at `url` (a pool of the driver's default size). */
export const layerPostgres = (url: Redacted.Redacted<string>) =>
  Layer.merge(
    PgClient.layer({ url, applicationName: "taskbridge" }),
    Layer.succeed(Database, { backend: { _tag: "postgres" } }),
  )

/**
 * What is inside the data folder, owner-only: it holds patient data (tables, WAL) and the generated key. Run when the
 * folder is locked (closing up whatever an earlier version or a crash left open) and when it is released.
 */
const ownerOnly = async (dataDir: string) => {
  for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name)
    if (entry.isDirectory()) await chmod(path, 0o700)
    else if (entry.isFile()) await chmod(path, 0o600)
  }
}

const lockName = "taskbridge.pid"

/** Whether process `pid` is alive on this machine. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * One process owns a data dir: PGlite has no server-side locking, and two processes on one folder corrupt it. The
 * owner's pid is kept in `taskbridge.pid`; a lock whose process is gone (a crash, `kill -9`) is taken over.
 */
const lock = async (dataDir: string) => {
  const path = join(dataDir, lockName)
  for (;;) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: "wx", mode: 0o600 })
      return path
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
      const holder = Number((await readFile(path, "utf8").catch(() => "")).trim())
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new Error(`the data folder is in use by process ${holder} (stop it first)`)
      }
      await rm(path, { force: true })
    }
  }
}

const openPglite = Effect.fn("Database.openPglite")(function* (dataDir: string) {
  yield* Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        // PGlite creates only the last folder of the path; a fresh checkout has none of `./.taskbridge/data`.
        await mkdir(dataDir, { recursive: true, mode: 0o700 })
        await chmod(dataDir, 0o700)
        // Only the owner of the lock touches what is inside.
        const held = await lock(dataDir)
        await ownerOnly(dataDir)
        return held
      },
      catch: startError(`lock the data folder ${dataDir}`),
    }),
    // PGlite (Emscripten's file system) sets its files' modes itself (0666), ignoring the umask: the owner-only folder
    // is what keeps them private while it runs, and on a clean stop they are closed up too, before the lock goes.
    (path) => Effect.promise(() => ownerOnly(dataDir).then(() => rm(path, { force: true }))),
  )
  return yield* Effect.acquireRelease(
    Effect.tryPromise({ try: () => PGlite.create(dataDir), catch: startError(`open PGlite at ${dataDir}`) }),
    (db) => Effect.promise(() => db.close()),
  )
})

const serve = Effect.fn("Database.serve")(function* (db: PGlite) {
  // Port 0: the OS picks a free port, so several embedded instances (tests, a dev run) never collide. One server slot
  // for the pool's one connection: while taskbridge holds it no other local process can open a second session
  // (the socket has no authentication, and a second session would interleave with ours).
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 1 })
  yield* Effect.acquireRelease(
    Effect.tryPromise({ try: () => server.start(), catch: startError("start pglite-socket") }),
    () => Effect.promise(() => server.stop()),
  )
  return Number(server.getServerConn().split(":").at(-1))
})

/** Embedded PGlite with its data in `dataDir`, reached through pglite-socket with a pool of exactly one connection. */
export const layerEmbedded = (dataDir: string) => {
  const absolute = resolve(dataDir)
  const client = Effect.gen(function* () {
    const db = yield* openPglite(absolute)
    const port = yield* serve(db)
    return yield* PgClient.make({
      host: "127.0.0.1",
      port,
      username: "postgres",
      database: "postgres",
      applicationName: "taskbridge",
      // PGlite is one session: several connections would interleave extended-protocol messages and break.
      maxConnections: 1,
      // Keep that one session open instead of reconnecting after a quiet minute.
      idleTimeout: Duration.infinity,
    })
  })
  return Layer.merge(
    PgClient.layerFrom(client),
    Layer.succeed(Database, { backend: { _tag: "embedded", dataDir: absolute } }),
  )
}

// An empty DATABASE_URL (e.g. `DATABASE_URL= pnpm start`) means "not set", not "connect to nothing".
const nonEmpty = (value: Option.Option<Redacted.Redacted<string>>) =>
  Option.filter(value, (url) => Redacted.value(url).trim().length > 0)

/** Reads `DATABASE_URL` (PostgreSQL) or `TASKBRIDGE_DATA_DIR` (embedded, default `./.taskbridge/data`). */
export const layerClient = Layer.unwrap(
  Effect.gen(function* () {
    const url = yield* Config.option(Config.Redacted("DATABASE_URL"))
    const dataDir = yield* Config.String("TASKBRIDGE_DATA_DIR").pipe(Config.withDefault(defaultDataDir))
    return Option.match(nonEmpty(url), {
      onSome: layerPostgres,
      onNone: () => layerEmbedded(dataDir),
    })
  }),
)

/** Adds the migrations on top of a client layer, so everything built on it sees the current schema. */
export const migrated = <E, R>(client: Layer.Layer<PgClient.PgClient | SqlClient | Database, E, R>) =>
  Layer.provideMerge(Migrations.layer, client)

/** The configured database, migrated. */
export const layer = migrated(layerClient)
