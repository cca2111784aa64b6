// Content hashes of vendor records: the link keeps the hash of the last synced state, so a replayed page or the
// echo of our own push (same content) is recognised and skipped without touching the task. A record is encoded once;
// its JSON is both what is hashed and the merge base the link stores.
import { hash as digest } from "node:crypto"
import { Assignee } from "@taskbridge/domain/Assignment"
import { Due } from "@taskbridge/domain/Due"
import { VendorExtension } from "@taskbridge/domain/Extension"
import { Note } from "@taskbridge/domain/Note"
import { SubjectRef, Subjects, TaskFields } from "@taskbridge/domain/Task"
import { TaskSnapshot, UnknownValue, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Schema } from "effect"

/** The schema's own encoder: what `encodeRecordFast` must equal, character for character (a property test holds it). */
export const encodeRecord = Schema.encodeSync(Schema.toCodecJson(VendorRecord))

// Key orders read from the schemas themselves, so a field added to one is encoded without touching this file.
const keysOf = (struct: { readonly fields: object }) => Object.keys(struct.fields)
const byTag = (cases: Readonly<Record<string, { readonly fields: object }>>) =>
  new Map(Object.entries(cases).map(([tag, member]) => [tag, keysOf(member)]))
const keys = {
  record: keysOf(VendorRecord),
  snapshot: keysOf(TaskSnapshot),
  fields: keysOf(TaskFields),
  unknown: keysOf(UnknownValue),
  note: keysOf(Note),
  subjects: keysOf(Subjects),
  subject: keysOf(SubjectRef),
  due: byTag(Due.cases),
  assignee: byTag(Assignee.cases),
  extension: byTag(VendorExtension.cases),
}

type Plain = Record<string, unknown>
/** `value`'s present keys in `order`, each through `map`. */
const ordered = (order: ReadonlyArray<string>, value: object, map?: (key: string, v: unknown) => unknown): Plain => {
  const out: Plain = {}
  for (const key of order) {
    const v = (value as Plain)[key]
    if (v !== undefined) out[key] = map === undefined ? v : map(key, v)
  }
  return out
}
const tagged = (orders: ReadonlyMap<string, ReadonlyArray<string>>, value: { readonly _tag: string }) =>
  ordered(orders.get(value._tag) ?? [], value, (_, v) => (DateTime.isDateTime(v) ? DateTime.formatIso(v) : v))
const iso = (_: string, v: unknown) => (DateTime.isDateTime(v) ? DateTime.formatIso(v) : v)

/**
 * `encodeRecord`, written out for the pull path (every listed record is encoded once to be hashed and kept as its
 * merge base, and the generic encoder costs tens of microseconds a record): the same keys in the same order, instants
 * as ISO text, everything else already JSON.
 */
export const encodeRecordFast = (record: VendorRecord): Schema.Json => {
  const { snapshot } = record
  return ordered(keys.record, record, (key, v) => {
    switch (key) {
      case "updatedAt":
        return iso(key, v)
      case "unknownValues":
        return record.unknownValues.map((u) => ordered(keys.unknown, u))
      case "snapshot":
        return ordered(keys.snapshot, snapshot, (part) => {
          switch (part) {
            case "fields":
              return ordered(keys.fields, snapshot.fields, (field, value) =>
                field === "due"
                  ? tagged(keys.due, snapshot.fields.due)
                  : field === "assignees"
                    ? snapshot.fields.assignees.map((a) => tagged(keys.assignee, a))
                    : value,
              )
            case "subjects":
              return ordered(keys.subjects, snapshot.subjects, (_, ref) => ordered(keys.subject, ref as object))
            case "notes":
              return snapshot.notes.map((note) => ordered(keys.note, note, iso))
            case "extension":
              return snapshot.extension === null ? null : tagged(keys.extension, snapshot.extension)
            default:
              return (snapshot as unknown as Plain)[part]
          }
        })
      default:
        return v
    }
  }) as Schema.Json
}

export interface Encoded {
  readonly record: VendorRecord
  readonly json: Schema.Json
  /** `json` as the text that was hashed: what a new link stores as its merge base. */
  readonly text: string
  readonly hash: string
}

/**
 * The record's JSON and the hash of its text. The encoder writes every object's keys in the schema's order whatever
 * order the record was built in (a test holds it to that), so equal records hash equally without sorting keys.
 */
export const encoded = (record: VendorRecord): Encoded => {
  const json = encodeRecordFast(record)
  const text = JSON.stringify(json)
  return { record, json, text, hash: digest("sha256", text) }
}

export const recordHash = (record: VendorRecord): string => encoded(record).hash
