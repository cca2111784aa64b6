// Migration 6: indexes behind the API's read models (Views.ts): an organization's change feed in history order,
// escalations newest change first, and the runtime's sweep of unsent outbox rows across organizations.
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`CREATE INDEX history_org_feed ON history (organization_id, id)`
  yield* sql`CREATE INDEX escalations_org_updated ON escalations (organization_id, updated_at DESC, id DESC)`
  yield* sql`CREATE INDEX outbox_unsent ON outbox (id) WHERE state IN ('pending', 'sending')`
  yield* sql`CREATE INDEX sync_runs_org ON sync_runs (organization_id, id DESC)`
  // A connection has one backfill among thousands of incremental runs; health finds it without scanning them.
  yield* sql`CREATE INDEX sync_runs_backfill ON sync_runs (connection_id, id DESC) WHERE kind = 'backfill'`
})
