// Migration 7 on real data: a database at schema 6 holding a CareValidate escalation with its link, an unsent note
// edit, an unsent create and an open assignee conflict is migrated, and every one of them reads back in the one
// work-item model (a task of kind `escalation`, with the task field names), through the repositories; migration 11
// indexes it under its assignee.
import { assert } from "@effect/vitest"
import { Assignee } from "@taskbridge/domain/Assignment"
import { ConnectionId, OrganizationId, TaskId, VendorRecordId } from "@taskbridge/domain/Ids"
import { Effect } from "effect"
import * as Migrator from "effect/sql/Migrator"
import { SqlClient } from "effect/sql/SqlClient"
import * as ConflictRepository from "../src/ConflictRepository.ts"
import * as LinkRepository from "../src/LinkRepository.ts"
import * as Migrations from "../src/Migrations.ts"
import * as OutboxRepository from "../src/OutboxRepository.ts"
import * as TaskRepository from "../src/TaskRepository.ts"

const upTo6 = Migrator.make({})({
  loader: Migrator.fromRecord(
    Object.fromEntries(Object.entries(Migrations.migrations).filter(([name]) => name < "0007")),
  ),
  table: "taskbridge_migrations",
})

export const moveFromSchema6 = Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* upTo6
  const org = OrganizationId.make("org-move")
  const conn = ConnectionId.make("conn-move")
  const escalation = TaskId.make("esc-1")
  yield* sql`INSERT INTO organizations (id, name) VALUES (${org}, 'Move')`
  yield* sql`INSERT INTO connections (id, organization_id, vendor, name, base_url, credentials)
             VALUES (${conn}, ${org}, 'carevalidate', 'CV', 'https://cv.test', 'v1.x.y.z')`
  yield* sql`
    INSERT INTO escalations (id, organization_id, connection_id, record_id, case_ref, type, title, note, follow_up_due,
                             assignee, state, completed_at, created_at, updated_at, version)
    VALUES (${escalation}, ${org}, ${conn}, 'rec-1', 'case-9', 'clinical', 'Lab request', 'call back',
            '{"_tag":"Instant","at":"2026-11-10T09:00:00.000Z"}', '{"_tag":"Email","email":"Nurse@clinic.test"}',
            'active', NULL, now(), now(), 3)`
  yield* sql`INSERT INTO links (id, organization_id, connection_id, vendor, record_id, escalation_id, base, base_hash)
             VALUES ('link-1', ${org}, ${conn}, 'carevalidate', 'rec-1', ${escalation}, '{"_tag":"Escalation"}', 'h')`
  yield* sql`
    INSERT INTO outbox (organization_id, connection_id, subject_kind, subject_id, record_id, operation, change, fields)
    VALUES (${org}, ${conn}, 'escalation', ${escalation}, 'rec-1', 'update',
            '{"operation":"update","change":{"fields":{},"escalation":{"note":"called twice","assignee":null}}}', '{}')`
  yield* sql`
    INSERT INTO conflicts (organization_id, subject_kind, subject_id, connection_id, field, base, local, remote)
    VALUES (${org}, 'escalation', ${escalation}, ${conn}, 'assignee', 'null',
            '{"_tag":"Email","email":"a@clinic.test"}', '{"_tag":"User","id":"u-2"}')`

  // Migration 7 moves the data; whatever came after it runs too.
  assert.deepStrictEqual(
    (yield* Migrations.run).map(([id]) => id),
    Object.keys(Migrations.migrations)
      .map((name) => Number(name.slice(0, 4)))
      .filter((id) => id >= 7),
  )

  const task = yield* (yield* TaskRepository.make).get(org, escalation)
  assert.deepStrictEqual(
    [task.kind, task.title, task.description, task.status, task.version],
    ["escalation", "Lab request", "call back", "open", 3],
  )
  assert.deepStrictEqual(task.assignees, [Assignee.cases.Email.make({ email: "Nurse@clinic.test" })])
  // Migration 11 indexed the moved task under its assignee, at its time.
  const indexed = yield* sql<{ readonly key: string; readonly same: boolean }>`
    SELECT a.assignee_key AS key, a.updated_at = t.updated_at AS same
    FROM task_assignees a JOIN tasks t ON t.id = a.task_id WHERE a.task_id = ${escalation}`
  assert.deepStrictEqual(indexed, [{ key: "email:nurse@clinic.test", same: true }])
  assert.deepStrictEqual(task.subjects, { case: { id: "case-9" } })
  const [moved] = task.links
  assert.deepStrictEqual(
    [moved?.recordId, moved?.parent, moved?.vendorStatus, moved?.extension],
    ["rec-1", "case-9", "active", { _tag: "carevalidate", caseId: "case-9", escalationType: "clinical" }],
  )
  const link = yield* (yield* LinkRepository.make).find(conn, VendorRecordId.make("rec-1"))
  assert.deepInclude(link, { taskId: escalation, base: null, hash: null })
  const [pending] = yield* (yield* OutboxRepository.make).unfinished(conn, [escalation])
  assert.deepStrictEqual(pending?.payload, {
    operation: "update",
    change: { fields: { description: "called twice", assignees: [] } },
  })
  assert.deepStrictEqual(pending?.fields, ["description", "assignees"])
  const [conflict] = yield* (yield* ConflictRepository.make).open(org, escalation)
  assert.deepInclude(conflict, {
    field: "assignees",
    base: [],
    local: [{ _tag: "Email", email: "a@clinic.test" }],
    remote: [{ _tag: "User", id: "u-2" }],
  })
})
