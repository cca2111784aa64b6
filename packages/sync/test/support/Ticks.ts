// The periodic job the runtime tests schedule: every tick is recorded with its key and instant, and keys named
// `once-*` stop their own chain after the first tick. `boot` is started by the job's startup singleton alone.
import { DateTime, Effect, Schedule } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Runtime from "../../src/Runtime.ts"

export const interval = 300

export const setupTicks = Effect.fn("Ticks.setup")(function* () {
  const sql = yield* SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS ledger_ticks (job_key text NOT NULL, at bigint NOT NULL)`
})

export const Ticks = Runtime.periodic({
  name: "RuntimeTest/Ticks",
  interval: `${interval} millis`,
  keys: Effect.succeed(["boot"]),
  execute: Effect.fn("Ticks.execute")(function* (key: string, at: DateTime.Utc) {
    const sql = yield* SqlClient
    yield* sql`INSERT INTO ledger_ticks (job_key, at) VALUES (${key}, ${DateTime.toEpochMillis(at)})`
    return key.startsWith("once") ? Runtime.stop : undefined
  }),
})

/** The instants `key` ticked at, in order. */
export const ticksOf = Effect.fn("Ticks.of")(function* (key: string) {
  const sql = yield* SqlClient
  const rows = yield* sql<{ at: string }>`SELECT at::text AS at FROM ledger_ticks WHERE job_key = ${key} ORDER BY at`
  return rows.map((row) => Number(row.at))
})

/** The ticks of each key once every key has at least `count`; the wait is bounded so a dead chain fails the test. */
export const awaitTicks = Effect.fn("Ticks.await")(function* (keys: ReadonlyArray<string>, count: number) {
  return yield* Effect.forEach(keys, ticksOf).pipe(
    Effect.repeat({
      schedule: Schedule.spaced(`${interval} millis`),
      until: (all) => all.every((at) => at.length >= count),
    }),
    Effect.timeoutOrElse({ duration: "20 seconds", orElse: () => Effect.die(new Error(`fewer than ${count} ticks`)) }),
  )
})
