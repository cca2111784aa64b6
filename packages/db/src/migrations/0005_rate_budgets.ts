// Migration 5: vendor rate budgets shared by every process on the database: one row per request slot granted in a
// budget's rolling window, stamped by the database clock (see RateBudgetRepository).
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  // UNLOGGED: a slot lives for one window (seconds), and every vendor request writes one, so it should not cost a WAL
  // flush. A database crash empties the table, which at worst lets one window run over budget; the vendor answers
  // that with a retryable 429. Nothing else reads these rows, so their absence on physical replicas is harmless.
  yield* sql`
    CREATE UNLOGGED TABLE rate_budget_slots (
      key text NOT NULL,
      granted_at timestamptz NOT NULL
    )`
  // A key's slots in age order: the window's expiry, count and oldest slot are all range reads of one key.
  yield* sql`CREATE INDEX rate_budget_slots_key_granted ON rate_budget_slots (key, granted_at)`
})
