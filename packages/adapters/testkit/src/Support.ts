// What the contract suite's cases share: the SyncError a call failed with, the requests an emulator logged, reading a
// record by the reference a listing gave, and the check that pages carry deletions as the manifest declares them.
import { afterAll, assert, beforeAll, beforeEach } from "@effect/vitest"
import { SyncError } from "@taskbridge/domain/Errors"
import { VendorRecordId } from "@taskbridge/domain/Ids"
import type { ChangePage, VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import { Title } from "@taskbridge/domain/Task"
import type { RecordDraft, TaskSnapshot, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { Cause, Effect, Exit, Option, Stream } from "effect"
import type { SandboxLike } from "./Target.ts"

export type Run = (name: string, body: (adapter: VendorAdapter) => Effect.Effect<void, unknown, never>) => void

/** The SyncError an effect failed with, or a test failure saying what happened instead. */
export const syncFailure = <A, E>(exit: Exit.Exit<A, E>): SyncError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a SyncError, but the call succeeded")
  const error = Cause.findErrorOption(exit.cause)
  if (Option.isSome(error) && error.value instanceof SyncError) return error.value
  throw new Error(`expected a SyncError, got ${Cause.pretty(exit.cause)}`)
}

/** Requests the emulator logged from `seq` on (its `since` is exclusive). */
export const requestsFrom = (sandbox: SandboxLike, seq: number) => sandbox.control.requests.list({ since: seq - 1 })

/** A record by its vendor id, through a full listing's reference (id and parent), as the engine names it. */
export const byId = (adapter: VendorAdapter, records: ReadonlyArray<VendorRecord>, id: string) => {
  const found = records.find((r) => r.id === id)
  return adapter.get({ id: VendorRecordId.make(id), parent: found?.parent ?? null })
}

/** Pages carry deletions and sweeps exactly as the manifest's `deletions` says. */
export const assertDeletionsAsDeclared = (
  deletions: "none" | "reported" | "sweep",
  pages: ReadonlyArray<ChangePage>,
  full: boolean,
) => {
  if (deletions === "none") {
    assert.isTrue(
      pages.every((p) => p.sweep === null && p.deleted.length === 0),
      "a vendor declared without deletions reports none",
    )
  }
  if (deletions === "sweep" && full) {
    const generations = new Set(pages.map((p) => p.sweep?.generation))
    assert.strictEqual(generations.size, 1, "a full listing is one sweep generation on every page")
    assert.isTrue(pages.at(-1)?.sweep?.complete === true, "the last page of a full listing completes its sweep")
  }
}

/** A record as a full listing delivered it, read again by its reference: how the engine names a record it knows. */
export const listed = (adapter: VendorAdapter, id: string) =>
  Effect.flatMap(Stream.runCollect(adapter.listChanges(null)), (pages) =>
    byId(
      adapter,
      pages.flatMap((p) => p.records),
      id,
    ),
  )

/** A create draft with everything a test does not care about left empty: an open work item titled `title`. */
export const draftOf = (
  key: string,
  snapshot: Pick<TaskSnapshot, "vendorStatus" | "subjects" | "extension"> & {
    readonly title: string
    readonly description: string | null
  },
): RecordDraft => ({
  key,
  snapshot: {
    fields: {
      title: Title.make(snapshot.title),
      description: snapshot.description,
      status: "open",
      priority: "none",
      due: { _tag: "None" },
      assignees: [],
      tags: [],
    },
    vendorStatus: snapshot.vendorStatus,
    subjects: snapshot.subjects,
    notes: [],
    extension: snapshot.extension,
  },
})

/**
 * An emulator for a test file: started once before its tests, reset before each, closed after them. Returns the
 * accessor (the emulator exists only while the tests run).
 */
export const emulatorFor = <
  S extends { readonly control: { readonly reset: () => unknown }; readonly close: () => Promise<void> },
>(
  start: () => Promise<S>,
) => {
  const box: { current?: S } = {}
  beforeAll(async () => {
    box.current = await start()
  })
  beforeEach(() => {
    box.current?.control.reset()
  })
  afterAll(async () => {
    await box.current?.close()
  })
  return (): S => {
    if (box.current === undefined) throw new Error("the emulator is not running")
    return box.current
  }
}
