// Migration 11: the inbox's "assigned to X" in the inbox's order. A task's assignees are an array, which a b-tree
// cannot order by `updated_at` per element, so at 1,000,000 tasks a rare assignee's first page walked the
// organization's recent history (≈ 25,000 rows for 1 assignee of 500: 54–107 ms), or, through the GIN index, sorted
// every one of the assignee's tasks (20–25 ms). `task_assignees` holds one row per (task, assignee key) with the
// task's organization and `updated_at`, in one index in the inbox's order: a page is its first 51 entries (≈ 2 ms).
// Statement-level triggers on `tasks` keep it, so every writer does (the repositories, a hand-written UPDATE, the
// bench's seed and its plain-SQL baseline), a page of a thousand tasks in one statement each.
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

/**
 * The start of a trigger function's body that deletes the old entries `entries` selects (organization, key, time and
 * task: exactly what the index holds), each by an indexed delete of its own. As one delete joined over the transition
 * tables it was planned as an index range scan per task (4.8 s for a page of 450 merged tasks at 100,000 tasks); each
 * of these is an exact lookup, ≈ 20 µs.
 */
const forget = (entries: string) => `
    DECLARE
      entry record;
    BEGIN
      FOR entry IN ${entries}
      LOOP
        DELETE FROM task_assignees
        WHERE organization_id = entry.organization_id AND assignee_key = entry.key
          AND updated_at = entry.updated_at AND task_id = entry.id;
      END LOOP;`

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  // One index and no key of its own: a row is found by exactly what the index holds (the triggers know a task's old
  // organization, keys and time), and each index a backfill writes per record costs it (migration 10). No foreign
  // key either, for the same reason: the triggers are what keeps the rows.
  yield* sql`
    CREATE TABLE task_assignees (
      organization_id text NOT NULL,
      assignee_key text NOT NULL,
      updated_at timestamptz NOT NULL,
      task_id text NOT NULL
    )`
  yield* sql`
    CREATE INDEX task_assignees_inbox
      ON task_assignees (organization_id, assignee_key, updated_at DESC, task_id DESC)`
  yield* sql`
    CREATE FUNCTION task_assignees_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO task_assignees (organization_id, assignee_key, updated_at, task_id)
      SELECT DISTINCT n.organization_id, k.key, n.updated_at, n.id
      FROM added n CROSS JOIN LATERAL unnest(n.assignee_keys) AS k(key);
      RETURN NULL;
    END $$`
  // Only tasks whose keys, time or organization moved are rewritten (a merge moves `updated_at`, so most updated
  // ones are): their old entries, found by the old values, go, and the new ones come in.
  yield* sql.unsafe(`
    CREATE FUNCTION task_assignees_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    ${forget(`
        SELECT o.organization_id, k.key, o.updated_at, o.id
        FROM before_rows o JOIN after_rows n ON n.id = o.id CROSS JOIN LATERAL unnest(o.assignee_keys) AS k(key)
        WHERE (n.assignee_keys, n.updated_at, n.organization_id)
              IS DISTINCT FROM (o.assignee_keys, o.updated_at, o.organization_id)`)}
      INSERT INTO task_assignees (organization_id, assignee_key, updated_at, task_id)
      SELECT DISTINCT n.organization_id, k.key, n.updated_at, n.id
      FROM after_rows n JOIN before_rows o ON o.id = n.id CROSS JOIN LATERAL unnest(n.assignee_keys) AS k(key)
      WHERE (n.assignee_keys, n.updated_at, n.organization_id)
            IS DISTINCT FROM (o.assignee_keys, o.updated_at, o.organization_id);
      RETURN NULL;
    END $$`)
  yield* sql.unsafe(`
    CREATE FUNCTION task_assignees_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    ${forget("SELECT o.organization_id, k.key, o.updated_at, o.id FROM removed o CROSS JOIN LATERAL unnest(o.assignee_keys) AS k(key)")}
      RETURN NULL;
    END $$`)
  yield* sql`
    CREATE TRIGGER tasks_assignees_added AFTER INSERT ON tasks
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION task_assignees_added()`
  yield* sql`
    CREATE TRIGGER tasks_assignees_changed AFTER UPDATE ON tasks
      REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_assignees_changed()`
  yield* sql`
    CREATE TRIGGER tasks_assignees_removed AFTER DELETE ON tasks
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION task_assignees_removed()`
  // The tasks already stored.
  yield* sql`
    INSERT INTO task_assignees (organization_id, assignee_key, updated_at, task_id)
    SELECT DISTINCT t.organization_id, k.key, t.updated_at, t.id
    FROM tasks t CROSS JOIN LATERAL unnest(t.assignee_keys) AS k(key)`
  // Every assignee filter now walks `task_assignees` (one ordered walk per key), so the GIN index of the array
  // serves nothing and only costs every write.
  yield* sql`DROP INDEX tasks_assignee_keys`
})
