// The CareValidate adapter passes the shared adapter contract against the CareValidate emulator, over real HTTP.
// The engine's stored caseRef is stood in for by the emulator's own escalation → case index (`caseRefOf`).
import { contractSuite } from "@taskbridge/adapter-testkit/Contract"
import type { ContractTarget } from "@taskbridge/adapter-testkit/Target"
import { Assignee } from "@taskbridge/domain/Assignment"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { DateTime, Redacted } from "effect"
import { make } from "../src/Adapter.ts"

type CareValidate = Awaited<ReturnType<typeof startCareValidate>>

let sandbox: CareValidate | undefined
const live = () => {
  if (sandbox === undefined) throw new Error("the emulator is not running")
  return sandbox
}
const org = (cv: CareValidate, index: number) => {
  const found = cv.state().store.orgs[index]
  if (found === undefined) throw new Error(`no organization ${index}`)
  return found
}
const casesOf = (cv: CareValidate, index: number) => cv.state().store.cases.filter((c) => c.org === index)
const escalationIds = (cv: CareValidate, index: number, which: (completed: boolean) => boolean) =>
  casesOf(cv, index)
    .filter((c) => !c.isArchived)
    .flatMap((c) => c.escalations.filter((e) => which(e.isCompleted)).map((e) => e.id))
/** The newest open case's active escalation: what a person would be working on. */
const editableId = (cv: CareValidate) => escalationIds(cv, 0, (done) => !done).at(-1) ?? ""

const control = (cv: CareValidate, path: string, body: unknown) =>
  fetch(`${cv.url}/_sandbox${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })

const snapshot = (record: VendorRecord) => (record._tag === "Escalation" ? record.snapshot : undefined)
const dueMillis = (record: VendorRecord) => {
  const due = snapshot(record)?.followUpDue
  return due?._tag === "Instant" ? DateTime.toEpochMillis(due.at) : null
}

const target: ContractTarget<CareValidate> = {
  vendor: "carevalidate",
  start: async () => {
    sandbox = await startCareValidate({ port: 0, seed: 7, size: 120 })
    return sandbox
  },
  adapter: (cv) =>
    make({
      baseUrl: cv.url,
      apiKey: Redacted.make(org(cv, 0).apiKey),
      caseRefOf: (id) => cv.state().store.caseOfEscalation(id)?.id,
      pageSize: 25,
    }),
  visibleIds: (cv) => new Set(casesOf(cv, 0).flatMap((c) => c.escalations.map((e) => e.id))),
  editable: editableId,
  writable: [
    {
      field: "note",
      write: (record) => {
        const next = `${snapshot(record)?.note ?? ""} (checked by taskbridge)`
        return {
          change: { fields: {}, escalation: { note: next } },
          landed: (answer) => snapshot(answer)?.note === next,
        }
      },
    },
    {
      field: "followUpDue",
      write: (record) => {
        const next = Math.floor(((dueMillis(record) ?? Date.now()) + 86_400_000) / 1000) * 1000
        const due = { _tag: "Instant" as const, at: DateTime.makeUnsafe(next) }
        return {
          change: { fields: {}, escalation: { followUpDue: due } },
          landed: (answer) => dueMillis(answer) === next,
        }
      },
    },
    {
      field: "assignee",
      write: (record) => {
        const current = snapshot(record)?.assignee
        const currentId = current?._tag === "User" ? current.id : null
        const agent = org(live(), 0).users.find((u) => u.role === "CVTPA" && u.id !== currentId)
        const email = agent?.email ?? ""
        return {
          change: { fields: {}, escalation: { assignee: Assignee.cases.Email.make({ email }) } },
          landed: (answer) => {
            const assignee = snapshot(answer)?.assignee
            return assignee?._tag === "Email" && assignee.email.toLowerCase() === email
          },
        }
      },
    },
  ],
  refusedBeforeHttp: [
    { name: "a title change (type and title are fixed)", change: () => ({ fields: { title: Title.make("New") } }) },
    { name: "completing (only CareValidate completes)", change: () => ({ fields: {}, vendorStatus: "completed" }) },
    { name: "a task field", change: () => ({ fields: { description: "task text" } }) },
    { name: "a task note", change: () => ({ fields: {}, note: "hello" }) },
    {
      name: "a user assignee with no known e-mail",
      change: () => ({
        fields: {},
        escalation: { assignee: Assignee.cases.User.make({ id: UserId.make("7b0c8a52-0000-4000-8000-000000000000") }) },
      }),
    },
    { name: "clearing the follow-up", change: () => ({ fields: {}, escalation: { followUpDue: { _tag: "None" } } }) },
  ],
  rejections: [
    {
      name: "a completed escalation",
      arrange: async () => escalationIds(live(), 0, (done) => done)[0] ?? "",
      change: () => ({ fields: {}, escalation: { note: "too late" } }),
      reason: "TerminalState",
    },
    {
      name: "an escalation on another organization's case",
      arrange: async () => escalationIds(live(), 1, (done) => !done)[0] ?? "",
      change: () => ({ fields: {}, escalation: { note: "not ours" } }),
      reason: "Unauthorized",
    },
  ],
  auth: {
    kind: "api-key",
    revoke: async () => {
      await control(live(), `/organizations/${org(live(), 0).organizationId}/revoke-key`, {})
    },
  },
  unknownEnum: async (cv) => {
    const id = editableId(cv)
    await control(cv, `/escalations/${id}/future-type`, { type: "legal" })
    return { id, field: "type", value: "legal" }
  },
}

contractSuite(target)
