// Resolving a conflict: the chosen value is applied as a local change (origin `conflict-resolution`, so it is
// validated and queued for the vendor like any edit) and the conflict is closed, in one transaction.

import { EscalationId, type OrganizationId, TaskId } from "@taskbridge/domain/Ids"
import type { TaskPatch } from "@taskbridge/domain/Patch"
import {
  ConflictNotOpen,
  ConflictRepository,
  EscalationRepository,
  TaskRepository,
  Transactor,
} from "@taskbridge/domain/ports/Repositories"
import { TaskFields } from "@taskbridge/domain/Task"
import { EscalationSnapshot } from "@taskbridge/domain/VendorRecord"
import { Effect, Schema } from "effect"
import { updateEscalation } from "./Escalations.ts"
import { updateTask } from "./Local.ts"

export interface Resolution {
  readonly organizationId: OrganizationId
  readonly conflictId: string
  /** The value to keep, as JSON (the conflict's `local`, its `remote`, or something new). */
  readonly value: Schema.Json
  readonly actor: string
}

const decodeTaskPatch = (field: string, value: Schema.Json) => {
  const patch = Schema.decodeUnknownSync(
    Schema.toCodecJson(Schema.Struct({ [field]: TaskFields.fields[field as keyof TaskFields] })),
  )
  return patch({ [field]: value }) as TaskPatch
}

const decodeEscalationPatch = (field: string, value: Schema.Json) => {
  const schema = EscalationSnapshot.fields[field as "note" | "followUpDue" | "assignee"]
  return { [field]: Schema.decodeUnknownSync(Schema.toCodecJson(schema))(value) }
}

/** The chosen value is not a valid value of the conflict's field; nothing was changed. */
export class InvalidResolution extends Schema.TaggedError<InvalidResolution>()("InvalidResolution", {
  field: Schema.String,
  reason: Schema.String,
}) {
  override get message() {
    return `value: not a valid ${this.field}: ${this.reason}`
  }
}

const decodeValue = <A>(field: string, decode: () => A) =>
  Effect.try({
    try: decode,
    catch: (error) => new InvalidResolution({ field, reason: error instanceof Error ? error.message : String(error) }),
  })

/** Applies the chosen value as a local change and closes the conflict; returns the outbox rows that carry it. */
export const resolveConflict = Effect.fn("Conflicts.resolve")(function* (input: Resolution) {
  const conflicts = yield* ConflictRepository
  const open = yield* conflicts.open(input.organizationId)
  const conflict = open.find((c) => c.id === input.conflictId)
  if (conflict === undefined) return yield* new ConflictNotOpen({ id: input.conflictId })
  const { organizationId, actor } = input
  return yield* (yield* Transactor).atomically(
    Effect.gen(function* () {
      if (conflict.subject.kind === "task") {
        const task = yield* (yield* TaskRepository).get(organizationId, TaskId.make(conflict.subject.id))
        const patch = yield* decodeValue(conflict.field, () => decodeTaskPatch(conflict.field, input.value))
        const { queued } = yield* updateTask({
          organizationId,
          id: task.id,
          expectedVersion: task.version,
          patch,
          actor,
          origin: "conflict-resolution",
        })
        return { conflict: yield* conflicts.resolve(organizationId, conflict.id, input.value, actor), queued }
      } else {
        const escalation = yield* (yield* EscalationRepository).get(
          organizationId,
          EscalationId.make(conflict.subject.id),
        )
        const patch = yield* decodeValue(conflict.field, () => decodeEscalationPatch(conflict.field, input.value))
        const { queued } = yield* updateEscalation({
          organizationId,
          id: escalation.id,
          expectedVersion: escalation.version,
          patch,
          actor,
        })
        return { conflict: yield* conflicts.resolve(organizationId, conflict.id, input.value, actor), queued }
      }
    }),
  )
})
