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

export const scratchDatabase = (adminUrl: string, prefix = "tb") =>
  Layer.unwrap(
    Effect.gen(function* () {
      const admin = yield* PgClient.make({ url: Redacted.make(adminUrl), maxConnections: 1 }).pipe(
        Effect.provide(Reactivity.layer),
      )
      const name = `${prefix}_${randomBytes(6).toString("hex")}`
      yield* Effect.acquireRelease(admin`CREATE DATABASE ${admin(name)}`, () =>
        Effect.orDie(admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`),
      )
      return Database.layerPostgres(Redacted.make(withDatabase(adminUrl, name)))
    }),
  )
