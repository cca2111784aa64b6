// Migration 3: the sync engine's bookkeeping: a checkpoint per connection, the outbox of local changes to push,
// open and resolved merge conflicts, and sync runs with their progress.
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`
    CREATE TABLE checkpoints (
      connection_id text PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
      checkpoint text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`
  yield* sql`
    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      connection_id text NOT NULL REFERENCES connections (id),
      subject_kind text NOT NULL CHECK (subject_kind IN ('task', 'escalation')),
      subject_id text NOT NULL,
      record_id text,
      operation text NOT NULL CHECK (operation IN ('create', 'update')),
      change jsonb NOT NULL,
      -- Vendor-side field names the change writes; the supersede rule compares them.
      fields text[] NOT NULL,
      state text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'discarded', 'superseded')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`
  // Unsent changes of one subject at one connection, oldest first: next() and the supersede rule. Partial, so the
  // index stays as small as the backlog however long the sent history grows.
  yield* sql`
    CREATE INDEX outbox_subject_unsent ON outbox (connection_id, subject_id, id)
    WHERE state IN ('pending', 'sending')`
  // The console's pending and dead-letter views and the engine's sweep, per organization and state, oldest first.
  yield* sql`CREATE INDEX outbox_org_state ON outbox (organization_id, state, id)`
  yield* sql`
    CREATE TABLE conflicts (
      id bigserial PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      subject_kind text NOT NULL CHECK (subject_kind IN ('task', 'escalation')),
      subject_id text NOT NULL,
      connection_id text NOT NULL REFERENCES connections (id),
      field text NOT NULL,
      base jsonb NOT NULL,
      local jsonb NOT NULL,
      remote jsonb NOT NULL,
      state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
      resolution jsonb,
      resolved_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz
    )`
  // At most one open conflict per field: a replayed pull refreshes it instead of adding another.
  yield* sql`
    CREATE UNIQUE INDEX conflicts_open_field ON conflicts (subject_id, connection_id, field)
    WHERE state = 'open'`
  // The console's list of open conflicts per organization, oldest first.
  yield* sql`CREATE INDEX conflicts_org_open ON conflicts (organization_id, id) WHERE state = 'open'`
  yield* sql`
    CREATE TABLE sync_runs (
      id bigserial PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      connection_id text NOT NULL REFERENCES connections (id),
      kind text NOT NULL CHECK (kind IN ('backfill', 'incremental', 'reconcile', 'webhook')),
      state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'succeeded', 'failed')),
      pages integer NOT NULL DEFAULT 0,
      records integer NOT NULL DEFAULT 0,
      total integer,
      error text,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`
  // Sync health per connection: its latest runs first.
  yield* sql`CREATE INDEX sync_runs_connection ON sync_runs (connection_id, id DESC)`
})
