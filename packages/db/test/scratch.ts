// A scratch PostgreSQL database: `tb_<random>` created through the server named by `adminUrl` and dropped (forcibly)
// when the layer closes, so test and benchmark runs never see each other's data.
import { randomBytes } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import * as Database from "../src/Database.ts"

const withDatabase = (url: string, name: string) => {
  const next = new URL(url)
  next.pathname = `/${name}`
  return next.toString()
}

/**
 * Runs one statement on its own short-lived admin connection. Not a client kept in the layer's scope: once that scope
 * is closing, a pool whose idle connection has expired cannot open a new one, and the DROP would hang.
 */
const admin = (adminUrl: string, statement: (sql: PgClient.PgClient) => Effect.Effect<unknown, unknown>) =>
  PgClient.make({ url: Redacted.make(adminUrl), maxConnections: 1 }).pipe(
    Effect.flatMap(statement),
    Effect.provide(Reactivity.layer),
    Effect.scoped,
    Effect.orDie,
  )

export const scratchDatabase = (adminUrl: string, prefix = "tb") =>
  Layer.unwrap(
    Effect.gen(function* () {
      const name = `${prefix}_${randomBytes(6).toString("hex")}`
      yield* Effect.acquireRelease(
        admin(adminUrl, (sql) => sql`CREATE DATABASE ${sql(name)}`),
        () => admin(adminUrl, (sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`),
      )
      return Database.layerPostgres(Redacted.make(withDatabase(adminUrl, name)))
    }),
  )
