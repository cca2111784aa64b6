// Vendor rate budgets shared by every process on one database: the slots granted in each budget key's rolling window,
// decided in one short transaction on the database clock. A db-owned service; sync's SharedRateBudgets waits on it.
import { PgClient } from "@effect/sql-pg"
import type { PersistenceError } from "@taskbridge/domain/ports/Repositories"
import { Context, Effect, Layer, Schema } from "effect"
import { exec, firstRow, transaction } from "./internal/Store.ts"

/** At most `requests` slots in any `perMillis` window. The domain's `RateBudget` fits. */
export interface Window {
  readonly requests: number
  readonly perMillis: number
}

export class RateBudgetRepository extends Context.Service<
  RateBudgetRepository,
  {
    /**
     * Takes a slot of `key`'s window if one is free and answers 0; otherwise answers how many milliseconds until the
     * oldest slot leaves the window (at least 1), without waiting: the caller sleeps holding no connection, then asks
     * again.
     */
    readonly take: (key: string, window: Window) => Effect.Effect<number, PersistenceError>
    /**
     * `take` for up to `want` slots in the same round trip: grants as many as the window has free (all stamped now)
     * and answers how many, with the wait until the oldest slot leaves when it granted none.
     */
    readonly takeMany: (
      key: string,
      window: Window,
      want: number,
    ) => Effect.Effect<{ readonly granted: number; readonly wait: number }, PersistenceError>
  }
>()("@taskbridge/db/RateBudgetRepository") {}

const WaitRow = Schema.Struct({ granted: Schema.Number, wait: Schema.Number })

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient

  // A namespaced two-key lock: the one-key form shares its key space with anything else on the database that uses
  // `hashtext`, and effect/cluster's shard locks use the two-key form under their own namespace. A hash collision
  // between two budget keys only serialises them, never merges their windows.
  const lock = (key: string) =>
    exec("RateBudgetRepository.take")(
      sql`SELECT pg_advisory_xact_lock(hashtext('taskbridge.rate_budget_slots'), hashtext(${key}))`,
    )

  // One statement after the lock, so its snapshot sees every slot committed by the previous holder. All CTEs share
  // that snapshot: `live` still sees the rows `expired` deletes, hence it filters on the same cut-off, and `granted`
  // is invisible to the final SELECT, hence EXISTS. `clock_timestamp()` (not `now()`, the transaction's start, which
  // may precede the wait for the lock) is read once, so expiry, count, stamp and wait agree on one instant.
  const decide = (key: string, window: Window, want: number) => {
    const length = sql`(${window.perMillis}::integer * interval '1 millisecond')`
    return firstRow(
      "RateBudgetRepository.take",
      WaitRow,
    )(sql`
      WITH clock AS (SELECT clock_timestamp() AS now),
      expired AS (
        DELETE FROM rate_budget_slots s USING clock
        WHERE s.key = ${key} AND s.granted_at <= clock.now - ${length}
      ),
      live AS (
        SELECT count(*)::integer AS used, min(s.granted_at) AS oldest
        FROM rate_budget_slots s, clock
        WHERE s.key = ${key} AND s.granted_at > clock.now - ${length}
      ),
      granted AS (
        INSERT INTO rate_budget_slots (key, granted_at)
        SELECT ${key}, clock.now FROM clock, live,
          generate_series(1, greatest(0, least(${want}::integer, ${window.requests}::integer - live.used)))
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM granted)::integer AS granted, CASE
        WHEN EXISTS (SELECT 1 FROM granted) THEN 0
        ELSE greatest(1, ceil(extract(epoch FROM coalesce(live.oldest, clock.now) + ${length} - clock.now) * 1000))
      END::integer AS wait
      FROM clock, live`)
  }

  const takeMany = Effect.fn("RateBudgetRepository.takeMany")(function* (key: string, window: Window, want: number) {
    const row = yield* transaction(
      sql,
      "RateBudgetRepository.take",
    )(Effect.andThen(lock(key), decide(key, window, Math.max(1, Math.floor(want)))))
    // The SELECT over two one-row CTEs always yields its row; a missing one would be a driver fault.
    return row ?? { granted: 0, wait: window.perMillis }
  })

  const take = Effect.fn("RateBudgetRepository.take")(function* (key: string, window: Window) {
    const { granted, wait } = yield* takeMany(key, window, 1)
    return granted > 0 ? 0 : wait
  })

  return RateBudgetRepository.of({ take, takeMany })
})

export const layer = Layer.effect(RateBudgetRepository, make)
