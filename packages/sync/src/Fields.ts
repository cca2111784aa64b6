// The synced task fields as the engine handles them: JSON encoding of a field's value for history and conflicts,
// the per-field differences between two versions, and the merge options a connection's capabilities imply.

import type { Capabilities, PatchField } from "@taskbridge/domain/Capabilities"
import { changedFields, type FieldConflict, FieldPolicy, type MergeOptions } from "@taskbridge/domain/Merge"
import type { FieldChange } from "@taskbridge/domain/ports/Repositories"
import { TaskFields } from "@taskbridge/domain/Task"
import { Schema } from "effect"

type Field = keyof TaskFields

const codecs = Object.fromEntries(
  Object.entries(TaskFields.fields).map(([name, schema]) => [name, Schema.encodeSync(Schema.toCodecJson(schema))]),
) as { readonly [K in Field]: (value: TaskFields[K]) => Schema.Json }

export const encodeField = <K extends Field>(field: K, value: TaskFields[K]): Schema.Json => codecs[field](value)

export const decodeField = <K extends Field>(field: K, json: Schema.Json): TaskFields[K] =>
  Schema.decodeUnknownSync(Schema.toCodecJson(TaskFields.fields[field]))(json) as TaskFields[K]

const change = <K extends Field>(field: K, before: TaskFields, after: TaskFields): FieldChange => ({
  field,
  before: codecs[field](before[field]),
  after: codecs[field](after[field]),
})

export const fieldNames = Object.keys(TaskFields.fields) as ReadonlyArray<Field>

/** The synced fields of a task (or anything that has them). */
export const fieldsOf = (task: TaskFields): TaskFields => ({
  title: task.title,
  description: task.description,
  status: task.status,
  priority: task.priority,
  due: task.due,
  assignees: task.assignees,
  tags: task.tags,
})

/** A conflict's three values as JSON, for the conflicts table and the console. */
export const encodeConflict = <K extends Field>(c: FieldConflict<TaskFields, K>) => ({
  field: c.field,
  base: codecs[c.field](c.base),
  local: codecs[c.field](c.local),
  remote: codecs[c.field](c.remote),
})

const created = <K extends Field>(field: K, task: TaskFields): FieldChange => ({
  field,
  before: null,
  after: codecs[field](task[field]),
})

/** History for a task that appears for the first time: every field from nothing to its value. */
export const creationChanges = (task: TaskFields): Array<FieldChange> => fieldNames.map((field) => created(field, task))

/** History entries for every field that differs between `before` and `after`. */
export const fieldChanges = (before: TaskFields, after: TaskFields): Array<FieldChange> =>
  changedFields(before, after).map((field) => change(field, before, after))

/**
 * Overlapping edits become conflicts for a person to resolve unless a connection says otherwise: the product
 * promise is "conflicts shown instead of silently overwritten". Assignees and tags merge as sets where the vendor
 * takes the whole set each write, so concurrent adds and removes both survive.
 */
export const mergeOptions = (
  capabilities: Capabilities,
  overrides: Partial<Record<Field, FieldPolicy>> = {},
): MergeOptions<TaskFields> => ({
  policy: overrides,
  defaultPolicy: "manual",
  setFields: capabilities.assignment === "replace-all" ? ["assignees", "tags"] : ["tags"],
})

/**
 * What a connection's options may set for the engine beside its vendor's own options: per-field merge policies
 * (`{ "mergePolicy": { "status": "remote-wins" } }`) and the share of its records one listing may delete before the
 * deletion is held for an operator (`{ "deletionGuard": 0.2 }`).
 */
const policy = Schema.optionalKey(FieldPolicy)
export const EngineOptions = Schema.Struct({
  deletionGuard: Schema.optionalKey(Schema.Number.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 1 })))),
  mergePolicy: Schema.optionalKey(
    Schema.Struct({
      title: policy,
      description: policy,
      status: policy,
      priority: policy,
      due: policy,
      assignees: policy,
      tags: policy,
    }),
  ),
})

const readEngineOptions = Schema.decodeUnknownOption(EngineOptions)

export const policyOverrides = (options: Readonly<Record<string, Schema.Json>>): Partial<Record<Field, FieldPolicy>> =>
  readEngineOptions(options).pipe((o) => (o._tag === "Some" ? (o.value.mergePolicy ?? {}) : {}))

/** A listing that would delete more than this share of a connection's records is held (vdirsyncer's lesson). */
export const defaultDeletionGuard = 0.2

export const deletionGuard = (options: Readonly<Record<string, Schema.Json>>): number =>
  readEngineOptions(options).pipe((o) =>
    o._tag === "Some" ? (o.value.deletionGuard ?? defaultDeletionGuard) : defaultDeletionGuard,
  )

/** Fields a vendor takes on update; only these are pushed back when the merged value differs from the vendor's. */
export const writableFields = (capabilities: Capabilities): ReadonlyArray<PatchField> =>
  (Object.keys(capabilities.fields) as Array<PatchField>).filter((f) => capabilities.fields[f] === "writable")
