// The CareValidate adapter passes the shared adapter contract against the CareValidate emulator, over real HTTP,
// built from its vendor definition as the engine builds it.
import { contractSuite } from "@taskbridge/adapter-testkit/Contract"
import { draftOf } from "@taskbridge/adapter-testkit/Support"
import type { ContractTarget } from "@taskbridge/adapter-testkit/Target"
import { Assignee } from "@taskbridge/domain/Assignment"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { TITLES } from "@taskbridge/sandbox/carevalidate/Text"
import { DateTime } from "effect"
import { definition } from "../src/Definition.ts"

type CareValidate = Awaited<ReturnType<typeof startCareValidate>>

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
/** An escalation with its case, as a link would name it. */
const withCase = (cv: CareValidate, id: string) => ({ id, parent: cv.state().store.caseOfEscalation(id)?.id ?? null })
/** The e-mails of organization 0's CVTPA agents (the only users CareValidate assigns escalations to). */
const agentEmailsOf = (cv: CareValidate) =>
  org(cv, 0)
    .users.filter((u) => u.role === "CVTPA")
    .map((u) => u.email.toLowerCase())
/** The newest open case's active escalation: what a person would be working on. */
const editableId = (cv: CareValidate) => escalationIds(cv, 0, (done) => !done).at(-1) ?? ""

const control = (cv: CareValidate, path: string, body: unknown) =>
  fetch(`${cv.url}/_sandbox${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })

const dueMillis = (record: VendorRecord) => {
  const due = record.snapshot.fields.due
  return due._tag === "Instant" ? DateTime.toEpochMillis(due.at) : null
}

const target: ContractTarget<CareValidate> = {
  definition,
  start: () => startCareValidate({ port: 0, seed: 7, size: 120 }),
  settings: (cv) => ({ baseUrl: cv.url, credentials: { apiKey: org(cv, 0).apiKey }, options: { pageSize: 25 } }),
  visibleIds: (cv) => new Set(casesOf(cv, 0).flatMap((c) => c.escalations.map((e) => e.id))),
  editable: editableId,
  writable: [
    {
      field: "note (the description)",
      write: (record) => {
        const next = `${record.snapshot.fields.description ?? ""} (checked by taskbridge)`
        return {
          change: { fields: { description: next } },
          landed: (answer) => answer.snapshot.fields.description === next,
        }
      },
    },
    {
      field: "followUpDue",
      write: (record) => {
        const next = Math.floor(((dueMillis(record) ?? Date.now()) + 86_400_000) / 1000) * 1000
        const due = { _tag: "Instant" as const, at: DateTime.makeUnsafe(next) }
        return {
          change: { fields: { due } },
          landed: (answer) => dueMillis(answer) === next,
        }
      },
    },
    {
      field: "assignee",
      write: (record, cv) => {
        const [current] = record.snapshot.fields.assignees
        const currentEmail = current?._tag === "Email" ? current.email.toLowerCase() : null
        const email = agentEmailsOf(cv).find((e) => e !== currentEmail) ?? ""
        return {
          change: { fields: { assignees: [Assignee.cases.Email.make({ email })] } },
          landed: (answer) => {
            const [assignee] = answer.snapshot.fields.assignees
            return assignee?._tag === "Email" && assignee.email.toLowerCase() === email
          },
        }
      },
    },
  ],
  refusedBeforeHttp: [
    { name: "a title change (type and title are fixed)", change: () => ({ fields: { title: Title.make("New") } }) },
    { name: "completing (only CareValidate completes)", change: () => ({ fields: {}, vendorStatus: "completed" }) },
    { name: "a priority (escalations have none)", change: () => ({ fields: { priority: "high" } }) },
    { name: "an appended note (its one note is the description)", change: () => ({ fields: {}, note: "hello" }) },
    {
      name: "a user assignee with no known e-mail",
      change: () => ({
        fields: { assignees: [Assignee.cases.User.make({ id: UserId.make("7b0c8a52-0000-4000-8000-000000000000") })] },
      }),
    },
    { name: "clearing the follow-up", change: () => ({ fields: { due: { _tag: "None" } } }) },
    { name: "clearing the note", change: () => ({ fields: { description: null } }) },
    { name: "unassigning", change: () => ({ fields: { assignees: [] } }) },
  ],
  rejections: [
    {
      name: "a completed escalation",
      arrange: async (cv) => withCase(cv, escalationIds(cv, 0, (done) => done)[0] ?? ""),
      change: () => ({ fields: { description: "too late" } }),
      reason: "TerminalState",
    },
    {
      name: "an escalation on another organization's case",
      arrange: async (cv) => withCase(cv, escalationIds(cv, 1, (done) => !done)[0] ?? ""),
      change: () => ({ fields: { description: "not ours" } }),
      reason: "Unauthorized",
    },
  ],
  auth: {
    kind: "refusal",
    revoke: async (cv) => {
      await control(cv, `/organizations/${org(cv, 0).organizationId}/revoke-key`, {})
    },
  },
  create: {
    draft: (cv) => {
      const c = casesOf(cv, 0)
        .filter((x) => !x.isArchived)
        .at(-1)
      if (c === undefined) throw new Error("no open case")
      return draftOf("contract-create", {
        title: TITLES.support[2] ?? "Address verification",
        description: "Contract: confirm the shipping address",
        vendorStatus: "active",
        subjects: { case: { id: c.id } },
        extension: { _tag: "carevalidate", caseId: c.id, escalationType: "support" },
      })
    },
    matches: (record) => record.snapshot.fields.description === "Contract: confirm the shipping address",
  },
  terminal: {
    arrange: async (cv) => escalationIds(cv, 0, (done) => done)[0] ?? "",
    patch: { description: "too late" },
  },
  unreadable: { field: "title", pathPrefix: "/api/v1/customer-case-detail" },
  unknownEnum: async (cv) => {
    const id = editableId(cv)
    await control(cv, `/escalations/${id}/future-type`, { type: "legal" })
    return { id, field: "type", value: "legal" }
  },
}

contractSuite(target)
