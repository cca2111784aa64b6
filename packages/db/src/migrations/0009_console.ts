// Migration 9: what the admin console needs. Browser sessions and one-time sign-in codes (both stored as SHA-256
// hashes, each tied to the API token it speaks for, so revoking the token ends them), and the indexes behind the
// inbox's console filters (open conflicts, dead letters, overdue) and health charts. A row's last change reads `history_subject`
// (task_id, id) backwards, which already exists.
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`
    CREATE TABLE sessions (
      id_hash text PRIMARY KEY,
      token_id text NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      ended_at timestamptz
    )`
  yield* sql`CREATE INDEX sessions_token ON sessions (token_id)`
  yield* sql`
    CREATE TABLE signin_codes (
      code_hash text PRIMARY KEY,
      token_id text NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    )`
  // "Has a conflict" / "has a failed push": the semi-join starts from these small partial indexes (open conflicts and
  // dead letters are few next to a million tasks), and the per-row flags of a page probe them by task.
  yield* sql`CREATE INDEX conflicts_org_open_task ON conflicts (organization_id, task_id) WHERE state = 'open'`
  yield* sql`CREATE INDEX outbox_org_dead_task ON outbox (organization_id, task_id) WHERE state = 'dead'`
  // "Overdue" walks open work with a due date in the inbox's order; `now()` cannot be in a partial index, so the
  // index holds every unfinished dated task and the due bound filters while walking.
  yield* sql`
    CREATE INDEX tasks_org_unfinished_due_updated ON tasks (organization_id, updated_at DESC, id DESC)
    WHERE due_at IS NOT NULL AND status NOT IN ('done', 'cancelled')`
  // Health over time: runs finished within a bucket, and outbox rows that left the queue after a bucket's end.
  yield* sql`CREATE INDEX sync_runs_connection_finished ON sync_runs (connection_id, finished_at)`
  yield* sql`CREATE INDEX outbox_connection_updated ON outbox (connection_id, updated_at)`
})
