// EscalationRepository on PostgreSQL/PGlite: CareValidate escalations, scoped by organization, with optimistic
// concurrency; inserting one also creates the link that will carry its merge base.
import { randomUUID } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { Assignee } from "@taskbridge/domain/Assignment"
import { Due } from "@taskbridge/domain/Due"
import { EscalationNotFound, VersionConflict } from "@taskbridge/domain/Errors"
import { Escalation } from "@taskbridge/domain/Escalation"
import type { ConnectionId, EscalationId, OrganizationId, VendorRecordId } from "@taskbridge/domain/Ids"
import { EscalationRepository } from "@taskbridge/domain/ports/Repositories"
import { DateTime, Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import { encode, exec, firstRow, transaction } from "./internal/Store.ts"

const EscalationRow = Schema.Struct({ escalation: Schema.toCodecJson(Escalation) })
const VersionRow = Schema.Struct({ version: Schema.Int })
const JsonColumns = Schema.Struct({
  followUpDue: Schema.toCodecJson(Due),
  assignee: Schema.toCodecJson(Schema.NullOr(Assignee)),
})

/** The escalation at alias `e`, in the shape `Schema.toCodecJson(Escalation)` reads. */
export const projection = (sql: SqlClient) => sql`jsonb_build_object(
  'id', e.id, 'organizationId', e.organization_id, 'connectionId', e.connection_id, 'recordId', e.record_id,
  'caseRef', e.case_ref, 'type', e.type, 'title', e.title, 'note', e.note, 'followUpDue', e.follow_up_due,
  'assignee', e.assignee, 'state', e.state, 'completedAt', e.completed_at, 'createdAt', e.created_at,
  'updatedAt', e.updated_at, 'version', e.version)`

const toDate = (at: DateTime.Utc | null) => (at === null ? null : DateTime.toDateUtc(at))

export const make = Effect.gen(function* () {
  const sql = yield* PgClient.PgClient
  const columns = encode("EscalationRepository.encode", JsonColumns)
  const read = (operation: string) => firstRow(operation, EscalationRow)

  const get = Effect.fn("EscalationRepository.get")(function* (org: OrganizationId, id: EscalationId) {
    const row = yield* read("EscalationRepository.get")(
      sql`SELECT ${projection(sql)} AS escalation FROM escalations e WHERE e.organization_id = ${org} AND e.id = ${id}`,
    )
    if (row === null) return yield* new EscalationNotFound({ id })
    return row.escalation
  })

  const findByRecord = Effect.fn("EscalationRepository.findByRecord")(function* (
    connection: ConnectionId,
    record: VendorRecordId,
  ) {
    const row = yield* read("EscalationRepository.findByRecord")(sql`
      SELECT ${projection(sql)} AS escalation FROM escalations e
      WHERE e.connection_id = ${connection} AND e.record_id = ${record}`)
    return row?.escalation ?? null
  })

  const insert = Effect.fn("EscalationRepository.insert")(function* (escalation: Escalation) {
    const e = escalation
    const json = yield* columns({ followUpDue: e.followUpDue, assignee: e.assignee })
    const row = sql`
      INSERT INTO escalations (id, organization_id, connection_id, record_id, case_ref, type, title, note,
                               follow_up_due, assignee, state, completed_at, created_at, updated_at, version)
      VALUES (${e.id}, ${e.organizationId}, ${e.connectionId}, ${e.recordId}, ${e.caseRef}, ${e.type}, ${e.title},
              ${e.note}, ${sql.json(json.followUpDue)}, ${sql.json(json.assignee)}, ${e.state},
              ${toDate(e.completedAt)}, ${toDate(e.createdAt)}, ${toDate(e.updatedAt)}, ${e.version})`
    // The vendor comes from the connection, which an escalation only refers to.
    const link = sql`
      INSERT INTO links (id, organization_id, connection_id, vendor, record_id, escalation_id)
      SELECT ${randomUUID()}, ${e.organizationId}, c.id, c.vendor, ${e.recordId}, ${e.id}
      FROM connections c WHERE c.id = ${e.connectionId}`
    yield* transaction(
      sql,
      "EscalationRepository.insert",
    )(Effect.andThen(exec("EscalationRepository.insert")(row), exec("EscalationRepository.insert")(link)))
  })

  const conflictOrMissing = Effect.fn("EscalationRepository.conflictOrMissing")(function* (
    e: Escalation,
    expected: number,
  ) {
    const current = yield* firstRow(
      "EscalationRepository.update",
      VersionRow,
    )(sql`SELECT version FROM escalations WHERE organization_id = ${e.organizationId} AND id = ${e.id}`)
    if (current === null) return yield* new EscalationNotFound({ id: e.id })
    return yield* new VersionConflict({ id: e.id, expectedVersion: expected, currentVersion: current.version })
  })

  const update = Effect.fn("EscalationRepository.update")(function* (e: Escalation, expectedVersion: number) {
    const json = yield* columns({ followUpDue: e.followUpDue, assignee: e.assignee })
    const stored = new Escalation({ ...e, version: expectedVersion + 1 })
    const row = yield* firstRow(
      "EscalationRepository.update",
      VersionRow,
    )(sql`
      UPDATE escalations SET case_ref = ${e.caseRef}, type = ${e.type}, title = ${e.title}, note = ${e.note},
        follow_up_due = ${sql.json(json.followUpDue)}, assignee = ${sql.json(json.assignee)}, state = ${e.state},
        completed_at = ${toDate(e.completedAt)}, updated_at = ${toDate(e.updatedAt)}, version = ${stored.version}
      WHERE organization_id = ${e.organizationId} AND id = ${e.id} AND version = ${expectedVersion}
      RETURNING version`)
    if (row === null) return yield* conflictOrMissing(e, expectedVersion)
    return stored
  })

  return EscalationRepository.of({ get, findByRecord, insert, update })
})

export const layer = Layer.effect(EscalationRepository, make)
