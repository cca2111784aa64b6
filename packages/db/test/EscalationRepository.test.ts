// Escalations on every backend: round trip through the JSON columns, optimistic concurrency, organization scoping,
// and the link that carries an escalation's merge base.
import { assert, describe, layer } from "@effect/vitest"
import { Assignee } from "@taskbridge/domain/Assignment"
import { Due } from "@taskbridge/domain/Due"
import { Escalation } from "@taskbridge/domain/Escalation"
import { type ConnectionId, EscalationId, type OrganizationId, VendorRecordId } from "@taskbridge/domain/Ids"
import { EscalationRepository, LinkRepository } from "@taskbridge/domain/ports/Repositories"
import { Effect, Schema } from "effect"
import { backends, stack } from "./backends.ts"
import { at, connection, organization, uid } from "./fixtures.ts"

const json = Schema.encodeSync(Schema.toCodecJson(Escalation))

const escalation = (org: OrganizationId, conn: ConnectionId) =>
  new Escalation({
    id: EscalationId.make(uid("esc")),
    organizationId: org,
    connectionId: conn,
    recordId: VendorRecordId.make(uid("cv")),
    caseRef: "case-88",
    type: "clinical",
    title: "Dosage question",
    note: null,
    followUpDue: Due.cases.Instant.make({ at: at("2026-11-04T09:00:00Z") }),
    assignee: Assignee.cases.Email.make({ email: "nurse@clinic.test" }),
    state: "active",
    completedAt: null,
    createdAt: at("2026-11-01T10:00:00Z"),
    updatedAt: at("2026-11-01T10:00:00Z"),
    version: 1,
  })

for (const backend of backends) {
  describe(`EscalationRepository [${backend.name}]`, () => {
    layer(stack(backend), { excludeTestServices: true })((it) => {
      it.effect("stores an escalation, finds it by record, and links the record to it", () =>
        Effect.gen(function* () {
          const repo = yield* EscalationRepository
          const links = yield* LinkRepository
          const org = yield* organization()
          const conn = yield* connection(org, "carevalidate")
          const stored = escalation(org, conn)
          yield* repo.insert(stored)
          assert.deepStrictEqual(json(yield* repo.get(org, stored.id)), json(stored))
          assert.strictEqual((yield* repo.findByRecord(conn, stored.recordId))?.id, stored.id)
          assert.deepStrictEqual((yield* links.find(conn, stored.recordId))?.subject, {
            kind: "escalation",
            id: stored.id,
          })
        }),
      )

      it.effect("completes at the expected version, refuses a stale one and hides it from other organizations", () =>
        Effect.gen(function* () {
          const repo = yield* EscalationRepository
          const org = yield* organization()
          const other = yield* organization()
          const stored = escalation(org, yield* connection(org, "carevalidate"))
          yield* repo.insert(stored)
          const completed = new Escalation({
            ...stored,
            state: "completed",
            completedAt: at("2026-11-02T10:00:00Z"),
            assignee: null,
          })
          assert.strictEqual((yield* repo.update(completed, 1)).version, 2)
          const stale = yield* Effect.flip(repo.update(stored, 1))
          assert.deepInclude(stale, { _tag: "VersionConflict", currentVersion: 2 })
          const read = yield* repo.get(org, stored.id)
          assert.deepStrictEqual([read.state, read.assignee, read.version], ["completed", null, 2])
          assert.strictEqual((yield* Effect.flip(repo.get(other, stored.id)))._tag, "EscalationNotFound")
          const foreign = yield* Effect.flip(repo.update(new Escalation({ ...completed, organizationId: other }), 2))
          assert.strictEqual(foreign._tag, "EscalationNotFound")
        }),
      )
    })
  })
}
