import { Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { test } from "vitest"
import * as Database from "../src/Database.ts"
import { scratchDatabase } from "../test/scratch.ts"

test("repro", { timeout: 10 * 60_000 }, async () => {
  const runtime = ManagedRuntime.make(Database.migrated(scratchDatabase(process.env.TEST_DATABASE_URL ?? "", "tb_zz")))
  const q = (text: string) => runtime.runPromise(Effect.gen(function* () { const sql = yield* SqlClient; return yield* sql.unsafe(text) }))
  try {
    console.log("start", new Date().toISOString())
    await q(`SELECT pg_sleep(${process.env.SLEEP ?? 70})`)
    console.log("slept", new Date().toISOString())
    for (let i = 0; i < 3; i++) { await q("SELECT 1"); console.log("q", i, new Date().toISOString()) }
  } finally {
    await runtime.dispose()
    console.log("disposed")
  }
})
