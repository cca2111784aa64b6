// Seeds a scratch PostgreSQL database with 1,000,000 tasks (900,000 in the measured organization, the rest in
// another one), each linked to a vendor record, entirely inside the server with generate_series so seeding takes
// one round trip per table. Values are spread so every list filter has realistic selectivity. Shared by the db
// package's query benchmark and the API benchmark (apps/bench).
import { Vendor } from "@taskbridge/domain/Ids"
import { Effect } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

export const org = "bench-org"
/** Every vendor the domain knows, so a new one is seeded without an edit here. */
export const vendors = Vendor.literals
export const connectionOf = (vendor: string) => `bench-${vendor}`
/** 1,000,000 unless BENCH_TASKS asks for fewer (a quick check of the harness itself). */
export const taskCount = Number(process.env.BENCH_TASKS ?? 1_000_000)

/** Seeds `count` tasks (see the file's header for their shape). */
export const seedTasks = (count: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    yield* sql`INSERT INTO organizations (id, name) VALUES (${org}, 'Bench'), ('bench-other', 'Other')`
    yield* sql`
    INSERT INTO connections (id, organization_id, vendor, name, base_url, credentials)
    SELECT 'bench-' || v, ${org}, v, v, 'https://' || v || '.example.test', 'v1.x.x.x'
    FROM unnest(${[...vendors]}::text[]) AS v`
    // Title words: five task kinds and one of 20,000 patient tokens (≈45 tasks each); 1% carry a "denied" note.
    // Statuses and priorities cycle out of step with the title; 60% have a due instant within a year; 500 assignees.
    yield* sql`
    INSERT INTO tasks (id, organization_id, title, description, status, priority, due, due_at, assignees,
                       assignee_keys, tags, subjects, notes, created_at, updated_at, version)
    SELECT 'b' || lpad(i::text, 7, '0'),
           CASE WHEN i % 10 = 0 THEN 'bench-other' ELSE ${org} END,
           (ARRAY['Call payer', 'Resubmit claim', 'Waitlist request', 'Verify insurance', 'Follow up'])[1 + i % 5]
             || ' patient' || (i % 20000),
           CASE WHEN i % 100 = 0 THEN 'Payer denied the claim: missing modifier' END,
           (ARRAY['open', 'in_progress', 'waiting', 'done', 'cancelled'])[1 + (i / 3) % 5],
           (ARRAY['none', 'low', 'normal', 'high', 'urgent'])[1 + (i / 7) % 5],
           CASE WHEN i % 5 < 3 THEN jsonb_build_object('_tag', 'Instant', 'at', due) ELSE '{"_tag":"None"}' END,
           CASE WHEN i % 5 < 3 THEN due END,
           jsonb_build_array(jsonb_build_object('_tag', 'User', 'id', 'u' || (i % 500))),
           ARRAY['user:u' || (i % 500)], '{}', '{}', '[]', at, at, 1
    FROM generate_series(1, ${count}) AS i,
         LATERAL (SELECT timestamptz '2026-01-01' + ((i::bigint * 7919) % 31536000) * interval '1 second' AS at,
                         timestamptz '2026-06-01' + ((i::bigint * 104729) % 365) * interval '1 day' AS due) AS v`
    // One link per task, round-robin over the vendors; every tenth task also links a second vendor.
    yield* sql`
    INSERT INTO links (id, organization_id, connection_id, vendor, record_id, task_id, position)
    SELECT 'l' || t.id || '-' || n, ${org}, 'bench-' || v.vendor, v.vendor, 'r' || t.id || '-' || n, t.id, n
    FROM tasks t, LATERAL (SELECT substr(t.id, 2)::int AS i) AS k,
         LATERAL (SELECT 0 AS n, (${[...vendors]}::text[])[1 + k.i % ${vendors.length}] AS vendor
                  UNION ALL
                  SELECT 1, (${[...vendors]}::text[])[1 + (k.i + 1) % ${vendors.length}] WHERE k.i % 10 = 1) AS v
    WHERE t.organization_id = ${org}`
    yield* sql`ANALYZE tasks`
    yield* sql`ANALYZE links`
  })

export const seed = seedTasks(taskCount)
