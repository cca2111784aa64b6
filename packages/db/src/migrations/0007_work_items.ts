// Migration 7: one work-item pipeline. Escalations become tasks of kind `escalation` (their note is the description,
// their follow-up the due, their one assignee a one-element list, their case a subject and the link's parent), the
// sync tables name a task instead of a subject kind, links learn their record's parent and a tombstone, tasks can be
// soft-deleted, full listings mark what they saw (mark and sweep), mass deletions can be held for an operator,
// connections keep what their adapter learned, and sync runs beat while they run. Existing data moves; merge bases of moved links are cleared, so the
// next pull re-bases them (the vendor wins where nothing was edited locally, as for any first sync).
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`
    ALTER TABLE tasks
      ADD COLUMN kind text NOT NULL DEFAULT 'task' CHECK (kind IN ('task', 'escalation', 'waitlist-request')),
      ADD COLUMN deleted_at timestamptz`
  // The console's inbox filters by kind in the default order.
  yield* sql`CREATE INDEX tasks_org_kind_updated ON tasks (organization_id, kind, updated_at DESC, id DESC)`
  yield* sql`
    ALTER TABLE links
      ADD COLUMN parent text,
      ADD COLUMN deleted_at timestamptz,
      -- The last full listing (sweep generation) that listed the record.
      ADD COLUMN seen_generation text`

  // Escalations into tasks. An assignee key is what assigneeKey() computes for the domain's assignee JSON.
  yield* sql`
    INSERT INTO tasks (id, organization_id, kind, title, description, status, priority, due, due_at, assignees,
                       assignee_keys, tags, subjects, notes, closed_at, created_at, updated_at, version)
    SELECT e.id, e.organization_id, 'escalation', e.title, e.note,
           CASE e.state WHEN 'completed' THEN 'done' ELSE 'open' END, 'none', e.follow_up_due,
           CASE WHEN e.follow_up_due->>'_tag' = 'Instant' THEN (e.follow_up_due->>'at')::timestamptz END,
           CASE WHEN e.assignee IS NULL OR e.assignee = 'null'::jsonb THEN '[]'::jsonb ELSE jsonb_build_array(e.assignee) END,
           CASE WHEN e.assignee IS NULL OR e.assignee = 'null'::jsonb THEN ARRAY[]::text[]
                WHEN e.assignee->>'_tag' = 'Email' THEN ARRAY['email:' || lower(e.assignee->>'email')]
                WHEN e.assignee->>'_tag' = 'Queue' THEN ARRAY['queue:' || (e.assignee->>'id')]
                ELSE ARRAY['user:' || (e.assignee->>'id')] END,
           ARRAY[]::text[], jsonb_build_object('case', jsonb_build_object('id', e.case_ref)), '[]'::jsonb,
           e.completed_at, e.created_at, e.updated_at, e.version
    FROM escalations e`
  yield* sql`
    UPDATE links l SET task_id = e.id, escalation_id = NULL, parent = e.case_ref,
      vendor_status = e.state,
      extension = jsonb_build_object('_tag', 'carevalidate', 'caseId', e.case_ref, 'escalationType', e.type),
      base = NULL, base_hash = NULL
    FROM escalations e WHERE l.escalation_id = e.id`
  yield* sql`ALTER TABLE links DROP COLUMN escalation_id`
  yield* sql`ALTER TABLE links ALTER COLUMN task_id SET NOT NULL`
  // Merge bases are VendorRecord JSON; the record lost its `_tag` and gained a parent.
  yield* sql`UPDATE links SET base = (base - '_tag') || '{"parent": null}'::jsonb WHERE base IS NOT NULL`
  yield* sql`DROP TABLE escalations`

  // The sync tables name a task.
  for (const table of ["outbox", "conflicts", "history"] as const) {
    yield* sql`ALTER TABLE ${sql(table)} DROP COLUMN subject_kind`
    yield* sql`ALTER TABLE ${sql(table)} RENAME COLUMN subject_id TO task_id`
  }
  yield* moveEscalationOutbox(sql)
  yield* moveEscalationConflicts(sql)

  yield* sql`
    CREATE TABLE held_deletions (
      id bigserial PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      connection_id text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
      generation text NOT NULL,
      records text[] NOT NULL,
      live integer NOT NULL,
      state text NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'confirmed', 'rejected')),
      decided_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz
    )`
  // At most one undecided deletion per connection: a newer listing replaces it.
  yield* sql`CREATE UNIQUE INDEX held_deletions_pending ON held_deletions (connection_id) WHERE state = 'held'`
  yield* sql`ALTER TABLE connections ADD COLUMN learned_facts jsonb NOT NULL DEFAULT '{}'`
  // A run's last sign of life: a run whose process died stops beating and is failed by the next pull.
  yield* sql`ALTER TABLE sync_runs ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now()`
})

/** Unsent escalation changes and creates in the one change shape (note → description, follow-up → due, …). */
const moveEscalationOutbox = (sql: SqlClient) =>
  Effect.gen(function* () {
    yield* sql`
      UPDATE outbox SET
        change = jsonb_set(change #- '{change,escalation}', '{change,fields}',
          (change->'change'->'fields')
          || CASE WHEN change->'change'->'escalation' ? 'note'
                  THEN jsonb_build_object('description', change->'change'->'escalation'->'note') ELSE '{}'::jsonb END
          || CASE WHEN change->'change'->'escalation' ? 'followUpDue'
                  THEN jsonb_build_object('due', change->'change'->'escalation'->'followUpDue') ELSE '{}'::jsonb END
          || CASE WHEN change->'change'->'escalation' ? 'assignee'
                  THEN jsonb_build_object('assignees',
                         CASE WHEN change->'change'->'escalation'->'assignee' = 'null'::jsonb THEN '[]'::jsonb
                              ELSE jsonb_build_array(change->'change'->'escalation'->'assignee') END)
                  ELSE '{}'::jsonb END),
        fields = fields
          || CASE WHEN change->'change'->'escalation' ? 'note' THEN ARRAY['description'] ELSE ARRAY[]::text[] END
          || CASE WHEN change->'change'->'escalation' ? 'followUpDue' THEN ARRAY['due'] ELSE ARRAY[]::text[] END
          || CASE WHEN change->'change'->'escalation' ? 'assignee' THEN ARRAY['assignees'] ELSE ARRAY[]::text[] END
      WHERE operation = 'update' AND change->'change' ? 'escalation'`
    // Task drafts lose their tag; escalation drafts become task drafts of the same escalation.
    yield* sql`
      UPDATE outbox SET change = jsonb_set(change, '{draft}', (change->'draft') - '_tag')
      WHERE operation = 'create' AND change->'draft'->>'_tag' = 'Task'`
    yield* sql`
      UPDATE outbox SET change = jsonb_build_object('operation', 'create', 'draft', jsonb_build_object(
        'key', change->'draft'->'key',
        'snapshot', jsonb_build_object(
          'fields', jsonb_build_object(
            'title', change->'draft'->'snapshot'->'title',
            'description', change->'draft'->'snapshot'->'note',
            'status', 'open', 'priority', 'none',
            'due', change->'draft'->'snapshot'->'followUpDue',
            'assignees', CASE WHEN change->'draft'->'snapshot'->'assignee' = 'null'::jsonb THEN '[]'::jsonb
                              ELSE jsonb_build_array(change->'draft'->'snapshot'->'assignee') END,
            'tags', '[]'::jsonb),
          'vendorStatus', 'active',
          'subjects', jsonb_build_object('case', jsonb_build_object('id', change->'draft'->'snapshot'->'caseRef')),
          'notes', '[]'::jsonb,
          'extension', jsonb_build_object('_tag', 'carevalidate', 'caseId', change->'draft'->'snapshot'->'caseRef',
                                          'escalationType', change->'draft'->'snapshot'->'type'))))
      WHERE operation = 'create' AND change->'draft'->>'_tag' = 'Escalation'`
  })

/** Open escalation conflicts under the task field names; an assignee's values become one-element lists. */
const moveEscalationConflicts = (sql: SqlClient) =>
  Effect.gen(function* () {
    const list = (column: string) =>
      sql`CASE WHEN ${sql(column)} = 'null'::jsonb THEN '[]'::jsonb ELSE jsonb_build_array(${sql(column)}) END`
    yield* sql`
      UPDATE conflicts SET field = 'assignees', base = ${list("base")}, local = ${list("local")},
        remote = ${list("remote")}
      WHERE field = 'assignee'`
    yield* sql`UPDATE conflicts SET field = 'description' WHERE field = 'note'`
    yield* sql`UPDATE conflicts SET field = 'due' WHERE field = 'followUpDue'`
  })
