// Migration 4: the append-only history of every change with its origin. Append-only is enforced by the database
// (triggers refuse UPDATE, DELETE and TRUNCATE), so no code path, however buggy, can rewrite the audit trail.
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`
    CREATE TABLE history (
      id bigserial PRIMARY KEY,
      organization_id text NOT NULL REFERENCES organizations (id),
      subject_kind text NOT NULL CHECK (subject_kind IN ('task', 'escalation')),
      subject_id text NOT NULL,
      origin text NOT NULL CHECK (origin IN ('api', 'pull', 'webhook', 'push', 'conflict-resolution')),
      actor text,
      connection_id text,
      changes jsonb NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`
  // A subject's history in order (no foreign key to the subject: history outlives what it describes).
  yield* sql`CREATE INDEX history_subject ON history (subject_id, id)`
  yield* sql`
    CREATE FUNCTION taskbridge_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'history is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$`
  yield* sql`
    CREATE TRIGGER history_no_update_or_delete BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION taskbridge_history_is_append_only()`
  yield* sql`
    CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION taskbridge_history_is_append_only()`
})
