// Migration 2: canonical tasks and escalations (with `version` for optimistic concurrency) and the links that tie
// them to vendor records, each holding the merge base (last synced vendor state) and its hash.
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`
    CREATE TABLE tasks (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      title text NOT NULL,
      description text,
      status text NOT NULL CHECK (status IN ('open', 'in_progress', 'waiting', 'done', 'cancelled')),
      priority text NOT NULL CHECK (priority IN ('none', 'low', 'normal', 'high', 'urgent')),
      due jsonb NOT NULL,
      -- The Due as one instant (an all-day date or window starts at midnight in its zone) for range filters.
      due_at timestamptz,
      assignees jsonb NOT NULL,
      -- assigneeKey() of each assignee, so "assigned to X" is an indexed array overlap.
      assignee_keys text[] NOT NULL,
      tags text[] NOT NULL,
      subjects jsonb NOT NULL,
      notes jsonb NOT NULL,
      closed_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version integer NOT NULL CHECK (version >= 0),
      -- Built-in full text with the 'simple' configuration: no extension and no language stemming, so PGlite and
      -- PostgreSQL match identically and names (patients, payers) are never stemmed.
      search tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title || ' ' || coalesce(description, ''))) STORED
    )`
  // The list view's default order, per organization: keyset pages walk this index and stop after one page.
  yield* sql`CREATE INDEX tasks_org_updated ON tasks (organization_id, updated_at DESC, id DESC)`
  // The most common filter keeps the same order, so "open tasks, newest first" is one ordered index range.
  yield* sql`CREATE INDEX tasks_org_status_updated ON tasks (organization_id, status, updated_at DESC, id DESC)`
  // Due-range filters ("overdue", "due this week") read only the matching range; tasks without a due are left out.
  yield* sql`CREATE INDEX tasks_org_due ON tasks (organization_id, due_at, id) WHERE due_at IS NOT NULL`
  // "Assigned to X": GIN answers array overlap (&&) without scanning the organization's tasks.
  yield* sql`CREATE INDEX tasks_assignee_keys ON tasks USING gin (assignee_keys)`
  // Text search over title and description.
  yield* sql`CREATE INDEX tasks_search ON tasks USING gin (search)`
  // Finer statistics on the lexemes: with the default target a rare prefix ("patient4242:*") is estimated at ~2% of
  // rows, so the planner walks the whole updated_at index (~2 s at 1M tasks) instead of using tasks_search (~10 ms).
  yield* sql`ALTER TABLE tasks ALTER COLUMN search SET STATISTICS 1000`
  yield* sql`
    CREATE TABLE escalations (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      connection_id text NOT NULL REFERENCES connections (id),
      record_id text NOT NULL,
      case_ref text NOT NULL,
      type text NOT NULL,
      title text NOT NULL,
      note text,
      follow_up_due jsonb NOT NULL,
      assignee jsonb,
      state text NOT NULL CHECK (state IN ('active', 'completed')),
      completed_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version integer NOT NULL CHECK (version >= 0),
      -- One escalation per vendor record; also findByRecord's lookup.
      UNIQUE (connection_id, record_id)
    )`
  // A case's escalations, per organization.
  yield* sql`CREATE INDEX escalations_org_case ON escalations (organization_id, case_ref)`
  yield* sql`
    CREATE TABLE links (
      id text PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      connection_id text NOT NULL REFERENCES connections (id),
      vendor text NOT NULL,
      record_id text NOT NULL,
      task_id text REFERENCES tasks (id) ON DELETE CASCADE,
      escalation_id text REFERENCES escalations (id) ON DELETE CASCADE,
      -- Order of the task's links as the domain holds them.
      position integer NOT NULL DEFAULT 0,
      vendor_status text,
      extension jsonb,
      synced_at timestamptz,
      -- The merge base: Schema.toCodecJson(VendorRecord) of the last synced state, and its content hash.
      base jsonb,
      base_hash text,
      CHECK (num_nonnulls(task_id, escalation_id) = 1),
      -- A vendor record is one canonical subject; also the pull's lookup by (connection, record).
      UNIQUE (connection_id, record_id)
    )`
  // A task's links (loaded with every task) and the list view's per-task probe for the connection/vendor filters.
  yield* sql`CREATE INDEX links_task ON links (task_id, connection_id, vendor) WHERE task_id IS NOT NULL`
  // The reverse direction: the tasks of one connection, when that connection is the selective part of a filter.
  yield* sql`CREATE INDEX links_connection_task ON links (connection_id, task_id) WHERE task_id IS NOT NULL`
  // The tasks of one vendor within an organization.
  yield* sql`CREATE INDEX links_org_vendor_task ON links (organization_id, vendor, task_id) WHERE task_id IS NOT NULL`
})
