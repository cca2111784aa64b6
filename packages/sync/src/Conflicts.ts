// Resolving a conflict: the chosen value of a field is applied as a local change (origin `conflict-resolution`, so it
// is validated and queued for the vendor like any edit) and the conflict is closed, in one transaction. A `deleted`
// conflict (the vendor deleted a record with unsent local changes) is decided instead: `true` accepts the deletion,
// `false` keeps the work item locally; either way the unsent changes, which can no longer reach it, are discarded.

import type { OrganizationId } from "@taskbridge/domain/Ids"
import { TaskPatch } from "@taskbridge/domain/Patch"
import {
  ConflictNotOpen,
  type ConflictRecord,
  ConflictRepository,
  deletedField,
  OutboxRepository,
  TaskRepository,
  Transactor,
} from "@taskbridge/domain/ports/Repositories"
import { TaskFields } from "@taskbridge/domain/Task"
import { Effect, Schema } from "effect"
import { restoreTask, updateTask } from "./Local.ts"

export interface Resolution {
  readonly organizationId: OrganizationId
  readonly conflictId: string
  /** The value to keep, as JSON (the conflict's `local`, its `remote`, or something new). */
  readonly value: Schema.Json
  readonly actor: string
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

const checkedPatch = Schema.decodeUnknownSync(Schema.toType(TaskPatch))

const decodePatch = (field: string, value: Schema.Json) =>
  Effect.try({
    try: () => {
      const schema = TaskFields.fields[field as keyof TaskFields]
      if (schema === undefined) throw new Error(`${field} is not a synced field`)
      const patch = Schema.decodeUnknownSync(Schema.toCodecJson(Schema.Struct({ [field]: schema })))
      // Then as a caller's patch: the same bounds as any edit (a description's maximum, a due's years).
      return checkedPatch(patch({ [field]: value }))
    },
    catch: (error) => new InvalidResolution({ field, reason: error instanceof Error ? error.message : String(error) }),
  })

/** The vendor deleted the record: accept it (`true`) or keep the work item locally (`false`). */
const decideDeletion = Effect.fn("Conflicts.decideDeletion")(function* (conflict: ConflictRecord, input: Resolution) {
  if (typeof input.value !== "boolean") {
    return yield* new InvalidResolution({ field: deletedField, reason: "answer true (accept) or false (keep it here)" })
  }
  const outbox = yield* OutboxRepository
  const reason = input.value
    ? `the vendor deleted the record; the deletion was accepted by ${input.actor}`
    : `the vendor deleted the record; ${input.actor} kept the work item here, where the change stays`
  for (const entry of yield* outbox.unfinished(conflict.connectionId, [conflict.taskId])) {
    yield* outbox.mark(entry.id, "discarded", reason)
  }
  if (!input.value) {
    const task = yield* (yield* TaskRepository).get(input.organizationId, conflict.taskId)
    yield* restoreTask({
      organizationId: input.organizationId,
      id: task.id,
      expectedVersion: task.version,
      actor: input.actor,
    })
  }
  return []
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
      if (conflict.field === deletedField) {
        const queued = yield* decideDeletion(conflict, input)
        return { conflict: yield* conflicts.resolve(organizationId, conflict.id, input.value, actor), queued }
      }
      const task = yield* (yield* TaskRepository).get(organizationId, conflict.taskId)
      const patch = yield* decodePatch(conflict.field, input.value)
      const { queued } = yield* updateTask({
        organizationId,
        id: task.id,
        expectedVersion: task.version,
        patch,
        actor,
        origin: "conflict-resolution",
      })
      return { conflict: yield* conflicts.resolve(organizationId, conflict.id, input.value, actor), queued }
    }),
  )
})
