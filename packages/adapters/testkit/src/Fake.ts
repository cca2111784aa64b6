// An in-memory vendor behind a real VendorDefinition, so engine tests exercise the engine and not an emulator: its
// records can be edited, added and deleted "at the vendor", it lists them the way its manifest declares (an ordered
// change feed that reports deletions, or a full snapshot per pull that the engine sweeps), it counts every call, and a
// failure can be queued for the next call. The same definition shape every adapter exports, so the registry, the
// pipeline and the webhook receiver treat it exactly like a real vendor.
import { define } from "@taskbridge/adapter-kit/Definition"
import type { Capabilities, LookBeforeWrite, VendorManifest } from "@taskbridge/domain/Capabilities"
import { NotFound, SyncError, type SyncErrorReason, Terminal } from "@taskbridge/domain/Errors"
import { type Vendor, VendorRecordId } from "@taskbridge/domain/Ids"
import { type ChangePage, Checkpoint } from "@taskbridge/domain/ports/VendorAdapter"
import { type StatusScheme, status } from "@taskbridge/domain/StatusScheme"
import { type TaskFields, Title } from "@taskbridge/domain/Task"
import type { RecordChange, RecordDraft, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Effect, Latch, Schema, Stream } from "effect"

export interface FakeOptions {
  readonly vendor?: Vendor
  readonly deletions?: "none" | "reported" | "sweep"
  /** Records listed per page. */
  readonly pageSize?: number
  /** How the engine looks before it writes; default a read (a `get`) per push. */
  readonly lookBeforeWrite?: LookBeforeWrite
  /** How many records the vendor holds at the start. */
  readonly size?: number
}

/** The statuses of the fake: open, started, done (terminal and frozen, like a Spry request). */
export const fakeScheme = (vendor: Vendor): StatusScheme => ({
  vendor,
  addressing: "name",
  transitions: "any",
  freezesOnTerminal: true,
  preferred: {},
  statuses: [
    status("todo", 0, "open"),
    status("doing", 1, "in_progress"),
    status("closed", 2, "done", { terminal: true }),
  ],
})

const category = { todo: "open", doing: "in_progress", closed: "done" } as const
type FakeStatus = keyof typeof category

export interface FakeRecord {
  id: string
  title: string
  description: string | null
  status: FakeStatus
  version: number
  deleted: boolean
}

export interface Call {
  readonly operation: "list" | "get" | "create" | "findCreated" | "update"
  readonly id: string | null
}

const capabilities = (deletions: "none" | "reported" | "sweep"): Capabilities => ({
  fields: {
    title: "writable",
    description: "writable",
    status: "writable",
    priority: "unsupported",
    due: "unsupported",
    assignees: "unsupported",
    tags: "unsupported",
    notes: "unsupported",
  },
  cannotClear: [],
  assignment: "none",
  assigneeKinds: [],
  priorityLevels: [],
  dueForms: [],
  canCreate: true,
  canDelete: false,
  changeDetection: deletions === "sweep" ? "snapshot-hash" : "updated-since-cursor",
  deletions,
  webhooks: false,
})

const epoch = DateTime.makeUnsafe("2026-11-01T00:00:00Z")

/** An in-memory vendor, its definition, and the controls a test drives it with. */
export const makeFakeVendor = (options: FakeOptions = {}) => {
  const vendor = options.vendor ?? "vambe"
  const deletions = options.deletions ?? "reported"
  const pageSize = options.pageSize ?? 50
  const records = new Map<string, FakeRecord>()
  /** The change feed: every change appends the record's id; a cursor is a position in it. */
  const feed: Array<string> = []
  const calls: Array<Call> = []
  const failures: Array<{
    readonly operation: Call["operation"]
    readonly reason: SyncErrorReason
    readonly then?: () => void
  }> = []
  /** Calls held until the test opens their latch (a vendor slow to answer, at a moment the test picks). */
  const holds: Array<{ readonly operation: Call["operation"]; readonly latch: Latch.Latch }> = []
  let clock = 0
  let created = 0
  const touch = (record: FakeRecord) => {
    record.version = ++clock
    feed.push(record.id)
  }
  for (let i = 0; i < (options.size ?? 10); i++) {
    const record = {
      id: `r-${i}`,
      title: `Record ${i}`,
      description: null,
      status: "todo" as const,
      version: 0,
      deleted: false,
    }
    records.set(record.id, record)
    touch(record)
  }

  const manifest: VendorManifest = {
    vendor,
    displayName: `Fake ${vendor}`,
    docsUrl: "https://example.test/docs",
    defaultBaseUrl: "https://fake.example.test",
    recordKind: "task",
    auth: "api-key",
    rateBudget: null,
    retryableStatuses: [429, 503],
    webhookSignature: null,
    pageSize,
    lookBeforeWrite: options.lookBeforeWrite ?? { via: "read" },
    capabilities: capabilities(deletions),
  }

  const toRecord = (r: FakeRecord): VendorRecord => ({
    id: VendorRecordId.make(r.id),
    version: String(r.version),
    updatedAt: DateTime.add(epoch, { seconds: r.version }),
    parent: null,
    unknownValues: [],
    snapshot: {
      fields: {
        title: Title.make(r.title),
        description: r.description,
        status: category[r.status],
        priority: "none",
        due: { _tag: "None" },
        assignees: [],
        tags: [],
      },
      vendorStatus: r.status,
      subjects: {},
      notes: [],
      extension: null,
    },
  })

  const call = (operation: Call["operation"], id: string | null) =>
    Effect.suspend(() => {
      calls.push({ operation, id })
      const held = holds.findIndex((h) => h.operation === operation)
      if (held >= 0) {
        const [hold] = holds.splice(held, 1)
        if (hold !== undefined) return Effect.andThen(hold.latch.await, answer(operation))
      }
      return answer(operation)
    })

  const answer = (operation: Call["operation"]) =>
    Effect.suspend(() => {
      const index = failures.findIndex((f) => f.operation === operation)
      if (index < 0) return Effect.void
      const [failure] = failures.splice(index, 1)
      failure?.then?.()
      return failure === undefined
        ? Effect.void
        : Effect.fail(new SyncError({ vendor, operation, reason: failure.reason }))
    })

  const find = (operation: Call["operation"], id: string) => {
    const record = records.get(id)
    return record === undefined || record.deleted
      ? Effect.fail(new SyncError({ vendor, operation, reason: new NotFound({ detail: `no record ${id}` }) }))
      : Effect.succeed(record)
  }

  /** An ordered feed: each page the records changed after the cursor (deletions reported), or a full snapshot. */
  const listChanges = (checkpoint: Checkpoint | null): Stream.Stream<ChangePage, SyncError> =>
    Stream.unwrap(
      Effect.gen(function* () {
        yield* call("list", null)
        if (deletions === "sweep") {
          const alive = [...records.values()].filter((r) => !r.deleted)
          // Our clock, as an adapter stamps it: the engine compares it with the links' sync times, which are ours.
          const startedAt = yield* DateTime.now
          const generation = `g-${clock}-${Math.random().toString(36).slice(2)}`
          const pages: Array<ChangePage> = []
          for (let i = 0; i === 0 || i < alive.length; i += pageSize) {
            const complete = i + pageSize >= alive.length
            pages.push({
              records: alive.slice(i, i + pageSize).map(toRecord),
              deleted: [],
              sweep: { generation, startedAt, complete },
              checkpoint: Checkpoint.make(String(feed.length)),
              progress: { pages: pages.length + 1, records: Math.min(i + pageSize, alive.length), total: alive.length },
            })
          }
          return Stream.fromIterable(pages)
        }
        const from = checkpoint === null ? 0 : Number(checkpoint)
        const ids = [...new Set(feed.slice(from))]
        const pages: Array<ChangePage> = []
        for (let i = 0; i === 0 || i < ids.length; i += pageSize) {
          const slice = ids.slice(i, i + pageSize).flatMap((id) => {
            const record = records.get(id)
            return record === undefined ? [] : [record]
          })
          pages.push({
            records: slice.filter((r) => !r.deleted).map(toRecord),
            deleted:
              deletions === "reported" ? slice.filter((r) => r.deleted).map((r) => VendorRecordId.make(r.id)) : [],
            sweep: null,
            checkpoint: Checkpoint.make(String(i + pageSize >= ids.length ? feed.length : from)),
            progress: { pages: pages.length + 1, records: Math.min(i + pageSize, ids.length), total: null },
          })
        }
        return Stream.fromIterable(pages)
      }),
    )

  const apply = (record: FakeRecord, change: RecordChange) =>
    Effect.gen(function* () {
      if (record.status === "closed") {
        return yield* new SyncError({
          vendor,
          operation: "update",
          reason: new Terminal({ detail: "record is closed" }),
        })
      }
      if (change.fields.title !== undefined) record.title = change.fields.title
      if (change.fields.description !== undefined) record.description = change.fields.description
      if (change.vendorStatus !== undefined) record.status = change.vendorStatus as FakeStatus
      touch(record)
      return toRecord(record)
    })

  const draftKey = (draft: RecordDraft) => `${draft.snapshot.fields.title}|${draft.snapshot.fields.description ?? ""}`

  const definition = define({
    manifest,
    credentials: Schema.Struct({ apiKey: Schema.String }),
    options: Schema.Struct({}),
    secretFields: ["apiKey"],
    make: () =>
      Effect.succeed({
        manifest,
        statusScheme: Effect.succeed(fakeScheme(vendor)),
        listChanges,
        get: (ref) => Effect.flatMap(call("get", ref.id), () => Effect.map(find("get", ref.id), toRecord)),
        update: (ref, change) =>
          Effect.flatMap(call("update", ref.id), () => Effect.flatMap(find("update", ref.id), (r) => apply(r, change))),
        create: (draft) =>
          Effect.flatMap(call("create", null), () =>
            Effect.sync(() => {
              const record: FakeRecord = {
                id: `new-${++created}`,
                title: draft.snapshot.fields.title,
                description: draft.snapshot.fields.description,
                status: "todo",
                version: 0,
                deleted: false,
              }
              records.set(record.id, record)
              touch(record)
              return toRecord(record)
            }),
          ),
        findCreated: (draft) =>
          Effect.flatMap(call("findCreated", null), () =>
            Effect.sync(() => {
              const match = [...records.values()].find(
                (r) => r.id.startsWith("new-") && !r.deleted && `${r.title}|${r.description ?? ""}` === draftKey(draft),
              )
              return match === undefined ? null : toRecord(match)
            }),
          ),
      }),
    demo: () => Effect.die(new Error("the fake vendor has no emulator")),
  })

  /** What a vendor-side user does, between pulls. */
  const vendorSide = {
    edit: (id: string, change: Partial<Pick<FakeRecord, "title" | "description" | "status">>) => {
      const record = records.get(id)
      if (record === undefined) throw new Error(`no fake record ${id}`)
      Object.assign(record, change)
      touch(record)
    },
    remove: (id: string) => {
      const record = records.get(id)
      if (record === undefined) throw new Error(`no fake record ${id}`)
      record.deleted = true
      touch(record)
    },
    restore: (id: string) => {
      const record = records.get(id)
      if (record === undefined) throw new Error(`no fake record ${id}`)
      record.deleted = false
      touch(record)
    },
    /** Hides every record (a vendor answering with an empty listing, the case the deletion guard exists for). */
    hideAll: () => {
      for (const record of records.values()) record.deleted = true
    },
  }

  return {
    definition,
    records: records as ReadonlyMap<string, Readonly<FakeRecord>>,
    calls: calls as ReadonlyArray<Call>,
    vendorSide,
    /** The next call of `operation` fails with `reason`; `then` runs at that moment (a vendor-side change racing it). */
    failNext: (operation: Call["operation"], reason: SyncErrorReason, then?: () => void) =>
      failures.push(then === undefined ? { operation, reason } : { operation, reason, then }),
    /** The next call of `operation` waits until `release` is called (it is counted in `calls` when it starts). */
    holdNext: (operation: Call["operation"]) => {
      const latch = Latch.makeUnsafe(false)
      holds.push({ operation, latch })
      return { release: () => Latch.openUnsafe(latch) }
    },
    fields: (id: string): TaskFields | undefined => {
      const record = records.get(id)
      return record === undefined ? undefined : toRecord(record).snapshot.fields
    },
  }
}

export type FakeVendor = ReturnType<typeof makeFakeVendor>
