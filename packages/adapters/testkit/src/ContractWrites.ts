// The contract suite's write and manifest cases: writes land and read back, refusals happen before any HTTP call,
// vendor rejections map to the right reason, a create whose answer was lost is found again (and an unsent one is not),
// deletions arrive as the manifest declares, a terminal record's scheme refuses edits with no HTTP call, and the
// manifest's webhook, delete and create facts match what the definition and adapter really do.
import { assert } from "@effect/vitest"
import type { Capabilities } from "@taskbridge/domain/Capabilities"
import { ConnectionId, LinkId, OrganizationId, TaskId, VendorRecordId } from "@taskbridge/domain/Ids"
import { validatePatch } from "@taskbridge/domain/PatchValidation"
import type { VendorAdapter } from "@taskbridge/domain/ports/VendorAdapter"
import { Task } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { DateTime, Effect, Result, Stream } from "effect"
import { assertDeletionsAsDeclared, listed, type Run, requestsFrom, syncFailure } from "./Support.ts"
import type { ContractTarget, LoggedRequest, SandboxLike } from "./Target.ts"

type Editable = (adapter: VendorAdapter) => ReturnType<VendorAdapter["get"]>

export const writeCases = <S extends SandboxLike>(
  run: Run,
  sandbox: () => S,
  target: ContractTarget<S>,
  editable: Editable,
) => {
  const since = (seq: number) => requestsFrom(sandbox(), seq)
  const { manifest } = target.definition

  for (const writable of target.writable) {
    run(`writes ${writable.field} and reads the vendor's answer back`, (adapter) =>
      Effect.gen(function* () {
        const record = yield* editable(adapter)
        const { change, landed } = writable.write(record, sandbox())
        assert.isFalse(landed(record), "the change is a real change")
        const answer = yield* adapter.update(record, change)
        assert.isTrue(landed(answer), "the vendor's answer shows the change")
        const fresh = yield* adapter.get(record)
        assert.isTrue(landed(fresh), "a fresh read shows the change")
        // The engine merges the answer as a pulled record and keeps it as the merge base: it must be the whole record
        // as a read sees it, or a part it leaves out would look like a vendor edit.
        assert.deepStrictEqual(answer.snapshot, fresh.snapshot, "the answer is the record as a read sees it")
        assert.deepStrictEqual(answer.parent, fresh.parent)
      }),
    )
  }

  for (const refusal of target.refusedBeforeHttp) {
    run(`refuses ${refusal.name} before any HTTP call`, (adapter) =>
      Effect.gen(function* () {
        const record = yield* editable(adapter)
        const seq = sandbox().control.requests.nextSeq()
        const error = syncFailure(yield* Effect.exit(adapter.update(record, refusal.change(record))))
        assert.strictEqual(error.reason._tag, "Validation")
        assert.isFalse(error.isRetryable)
        assert.deepStrictEqual(since(seq), [])
      }),
    )
  }

  for (const rejection of target.rejections) {
    run(`maps the vendor's rejection of ${rejection.name} to ${rejection.reason}`, (adapter) =>
      Effect.gen(function* () {
        const record = yield* editable(adapter)
        const target = yield* Effect.promise(() => rejection.arrange(sandbox(), record))
        const ref = { id: VendorRecordId.make(target.id), parent: target.parent }
        const error = syncFailure(yield* Effect.exit(adapter.update(ref, rejection.change(record))))
        assert.strictEqual(error.reason._tag, rejection.reason)
        assert.isFalse(error.isRetryable)
      }),
    )
  }

  const create = target.create
  if (create !== undefined) {
    run(
      "finds a create whose answer was lost instead of creating it twice, and nothing for one never sent",
      (adapter) =>
        Effect.gen(function* () {
          const draft = create.draft(sandbox())
          assert.isNull(yield* adapter.findCreated(draft), "nothing is found before the create is sent")
          const created = yield* adapter.create(draft) // the answer an interrupted push would have lost
          assert.isTrue(create.matches(created), "the vendor created what the draft asked for")
          const seq = sandbox().control.requests.nextSeq()
          const found = yield* adapter.findCreated(draft)
          assert.strictEqual(found?.id, created.id, "the lost create is found, by its content")
          assert.isFalse(
            since(seq).some((r) => r.status !== null && r.status < 300 && (create.isCreate ?? isCreate)(r)),
            "looking never creates",
          )
        }),
    )
  }

  const deleteAtVendor = target.deleteAtVendor
  if (deleteAtVendor !== undefined) {
    run(`sees a record deleted at the vendor (${manifest.capabilities.deletions})`, (adapter) =>
      Effect.gen(function* () {
        const backfill = yield* Stream.runCollect(adapter.listChanges(null))
        const id = yield* Effect.promise(() => deleteAtVendor(sandbox()))
        const next =
          manifest.capabilities.deletions === "sweep"
            ? yield* Stream.runCollect(adapter.listChanges(null))
            : yield* Stream.runCollect(adapter.listChanges(backfill.at(-1)?.checkpoint ?? null))
        if (manifest.capabilities.deletions === "sweep") {
          assertDeletionsAsDeclared("sweep", next, true)
          assert.isFalse(
            next.some((p) => p.records.some((r) => r.id === id)),
            "a complete listing no longer holds the deleted record, so the sweep tombstones it",
          )
        } else {
          assert.isTrue(
            next.some((p) => p.deleted.includes(VendorRecordId.make(id))),
            "the deletion is reported",
          )
        }
      }),
    )
  }

  const terminal = target.terminal
  if (terminal !== undefined) {
    run("refuses an edit of a terminal record by its status scheme, before any HTTP call", (adapter) =>
      Effect.gen(function* () {
        const id = yield* Effect.promise(() => terminal.arrange(sandbox()))
        const record = yield* listed(adapter, id)
        const scheme = yield* adapter.statusScheme
        const seq = sandbox().control.requests.nextSeq()
        const result = validatePatch(taskOf(record, manifest.vendor), terminal.patch, [
          { link: linkOf(record, manifest.vendor), capabilities: manifest.capabilities, scheme },
        ])
        assert.isTrue(Result.isFailure(result), "the patch is refused")
        if (Result.isFailure(result)) {
          assert.isTrue(
            result.failure.violations.some((v) => v.rule === "terminal-state" && v.vendor === manifest.vendor),
          )
        }
        assert.deepStrictEqual(since(seq), [], "no HTTP call")
      }),
    )
  }
}

const isCreate = (request: LoggedRequest) => request.method === "POST" && !/\/_sandbox/.test(request.path)

const linkOf = (record: VendorRecord, vendor: Task["links"][number]["vendor"]) => ({
  id: LinkId.make("contract-link"),
  connectionId: ConnectionId.make("contract"),
  vendor,
  recordId: record.id,
  parent: record.parent,
  vendorStatus: record.snapshot.vendorStatus,
  extension: record.snapshot.extension,
  syncedAt: null,
  deletedAt: null,
})

const taskOf = (record: VendorRecord, vendor: Task["links"][number]["vendor"]) => {
  const now = DateTime.makeUnsafe("2026-01-01T00:00:00Z")
  return Task.make({
    ...record.snapshot.fields,
    id: TaskId.make("contract-task"),
    organizationId: OrganizationId.make("contract"),
    kind: "task",
    closedAt: null,
    subjects: record.snapshot.subjects,
    notes: record.snapshot.notes,
    links: [linkOf(record, vendor)],
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    version: 0,
  })
}

/** The manifest's facts that code must back: webhooks, creates, deletions, change detection. */
export const manifestCases = <S extends SandboxLike>(run: Run, _sandbox: () => S, target: ContractTarget<S>) => {
  const { manifest, webhook } = target.definition
  const caps: Capabilities = manifest.capabilities
  run("declares in its manifest exactly the webhook, create and deletion support it has", () =>
    Effect.sync(() => {
      assert.strictEqual(target.definition.vendor, manifest.vendor)
      assert.strictEqual(webhook !== null, manifest.webhookSignature !== null, "a signature scheme ⇔ a verifier")
      if (webhook !== null) assert.strictEqual(webhook.scheme, manifest.webhookSignature)
      assert.strictEqual(caps.webhooks, webhook !== null, "capabilities.webhooks ⇔ a verifier")
      assert.strictEqual(caps.canCreate, target.create !== undefined, "canCreate ⇔ a create case the vendor accepts")
      assert.strictEqual(caps.deletions !== "none", target.deleteAtVendor !== undefined, "deletions ⇔ a deletion case")
      if (caps.changeDetection === "snapshot-hash") assert.strictEqual(caps.deletions, "sweep")
      for (const field of caps.cannotClear) {
        assert.strictEqual(caps.fields[field], "writable", `${field} is declared not clearable, so it is writable`)
      }
    }),
  )
}
