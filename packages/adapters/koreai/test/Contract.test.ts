// The Kore.ai adapter passes the shared adapter contract against the Kore.ai emulator, over real HTTP, built from its
// vendor definition as the engine builds it.
import { contractSuite } from "@taskbridge/adapter-testkit/Contract"
import { draftOf } from "@taskbridge/adapter-testkit/Support"
import type { ContractTarget } from "@taskbridge/adapter-testkit/Target"
import { Assignee } from "@taskbridge/domain/Assignment"
import { IanaZone, PlainDate } from "@taskbridge/domain/Due"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { startKoreai } from "@taskbridge/sandbox/koreai/Emulator"
import { DateTime } from "effect"
import { definition } from "../src/Definition.ts"
import {
  account,
  configurationOf,
  control,
  deleteTask,
  giveStatusCategory,
  type Koreai,
  openTaskId,
  settingsFor,
  tasksOf,
} from "./support.ts"

const other = (record: VendorRecord, koreai: Koreai, category: string) => {
  const found = account(koreai).statuses.find(
    (s) => s.statusCategory === category && s.isActive && s.isEnabled && s.name !== record.snapshot.vendorStatus,
  )
  if (found === undefined) throw new Error(`no usable ${category} status`)
  return found
}

/** A custom in-progress status of the seeded accounts, active until a rejection case deactivates it. */
const deactivated = "Escalated"

const dueAt = DateTime.makeUnsafe("2026-04-01T15:30:00.000Z")

const target: ContractTarget<Koreai> = {
  definition,
  start: () => startKoreai({ port: 0, seed: 17, size: 120 }),
  settings: (koreai) => settingsFor(koreai, configurationOf(koreai)),
  visibleIds: (koreai) => new Set(tasksOf(koreai).map((t) => t._id)),
  editable: (koreai) => openTaskId(koreai),
  writable: [
    {
      field: "the name (its title)",
      write: () => ({
        change: { fields: { title: Title.make("Call the payer back") } },
        landed: (a) => a.snapshot.fields.title === "Call the payer back",
      }),
    },
    {
      field: "the description",
      write: (record) => {
        const next = `${record.snapshot.fields.description ?? ""} (checked by taskbridge)`.trim()
        return { change: { fields: { description: next } }, landed: (a) => a.snapshot.fields.description === next }
      },
    },
    {
      field: "the status, by a configured status of another category",
      write: (record, koreai) => {
        const next = other(record, koreai, "in_progress")
        return {
          change: { fields: {}, vendorStatus: next.name },
          landed: (a) => a.snapshot.vendorStatus === next.name && a.snapshot.fields.status === "in_progress",
        }
      },
    },
    {
      field: "the priority (a configured priority object)",
      write: (record) => {
        const next = record.snapshot.fields.priority === "urgent" ? "low" : "urgent"
        return { change: { fields: { priority: next } }, landed: (a) => a.snapshot.fields.priority === next }
      },
    },
    {
      field: "the due date (epoch ms)",
      write: () => ({
        change: { fields: { due: { _tag: "Instant", at: dueAt } } },
        landed: (a) =>
          a.snapshot.fields.due._tag === "Instant" &&
          DateTime.toEpochMillis(a.snapshot.fields.due.at) === DateTime.toEpochMillis(dueAt),
      }),
    },
    {
      field: "tags",
      write: () => ({
        change: { fields: { tags: ["callback", "payer"] } },
        landed: (a) => a.snapshot.fields.tags.join() === "callback,payer",
      }),
    },
    {
      field: "the assignment (one agent and a queue, replaced whole)",
      write: (_, koreai) => {
        const org = account(koreai)
        const agent = org.agents.at(-1)?._id ?? ""
        const queue = org.queues.at(-1)?._id ?? ""
        const assignees = [
          Assignee.cases.User.make({ id: UserId.make(agent) }),
          Assignee.cases.Queue.make({ id: queue }),
        ]
        return {
          change: { fields: { assignees } },
          landed: (a) =>
            a.snapshot.fields.assignees
              .map((x) => (x._tag === "User" ? x.id : x._tag === "Queue" ? x.id : ""))
              .join() === `${agent},${queue}`,
        }
      },
    },
  ],
  refusedBeforeHttp: [
    { name: "an appended note (Kore.ai has no comment API)", change: () => ({ fields: {}, note: "hello" }) },
    {
      name: "another vendor's fields",
      change: () => ({ fields: {}, extension: { _tag: "candid", blocksClaimSubmission: true } }),
    },
    {
      name: "two agents at once",
      change: () => ({
        fields: {
          assignees: [
            Assignee.cases.User.make({ id: UserId.make("u-1") }),
            Assignee.cases.User.make({ id: UserId.make("u-2") }),
          ],
        },
      }),
    },
    { name: "priority none (Kore.ai has no empty priority)", change: () => ({ fields: { priority: "none" } }) },
    {
      name: "an all-day due (it holds an instant)",
      change: () => ({ fields: { due: { _tag: "AllDay", date: PlainDate.make("2026-04-01") } } }),
    },
    {
      name: "a due in a zone (epoch ms carry none)",
      change: () => ({ fields: { due: { _tag: "Instant", at: dueAt, zone: IanaZone.make("Europe/Madrid") } } }),
    },
    { name: "a status the account configured inactive", change: () => ({ fields: {}, vendorStatus: "Legacy Review" }) },
    { name: "a status the account does not have", change: () => ({ fields: {}, vendorStatus: "Escalated to Mars" }) },
    { name: "an empty change", change: () => ({ fields: {} }) },
  ],
  rejections: [
    {
      name: "a status an admin deactivated after it was learned (400)",
      arrange: async (koreai, record) => {
        const status = account(koreai).statuses.find((s) => s.name === deactivated)
        await control(koreai, "PATCH", `/organizations/${account(koreai).organizationId}`, {
          statuses: [{ _id: status?._id, isActive: false }],
        })
        return { id: record.id, parent: record.parent }
      },
      change: () => ({ fields: {}, vendorStatus: deactivated }),
      reason: "Validation",
    },
    {
      name: "another account's task (not found)",
      arrange: async (koreai) => ({ id: tasksOf(koreai, 1)[0]?._id ?? "", parent: null }),
      change: () => ({ fields: { priority: "high" } }),
      reason: "NotFound",
    },
  ],
  auth: {
    kind: "refusal",
    revoke: async (koreai) => {
      await control(koreai, "POST", `/organizations/${account(koreai).organizationId}/revoke-key`)
    },
  },
  create: {
    draft: (koreai) => {
      const kase = koreai.state().store.casesOf(0)[0]
      if (kase === undefined) throw new Error("no case")
      const template = String(tasksOf(koreai).find((t) => t.caseId === kase._id)?.doc.taskTmp ?? "ttm-contract")
      return draftOf("contract-create", {
        title: "Contract: verify the referral",
        description: "Created by the contract suite",
        vendorStatus: account(koreai).statuses.find((s) => s.statusCategory === "open" && s.isActive)?.name ?? "Open",
        subjects: {},
        extension: {
          _tag: "koreai",
          caseId: kase._id,
          caseRef: kase.refId,
          template,
          refId: null,
          queues: [],
          assigneeType: null,
          slaBreached: false,
          priorityId: null,
          statusId: null,
        },
      })
    },
    matches: (record) => record.snapshot.fields.title === "Contract: verify the referral",
    // Every Kore.ai call is a POST: only createTask creates.
    isCreate: (request) => request.path.endsWith("/createTask"),
  },
  deleteAtVendor: async (koreai) => {
    const id = openTaskId(koreai, 0, 1)
    deleteTask(koreai, id)
    return id
  },
  // Every Kore.ai call is a POST; the listing is the first one a pull makes.
  unreadable: { field: "name", pathPrefix: "/caseManagement/", method: "POST" },
  unknownEnum: async (koreai) => {
    const id = openTaskId(koreai, 0, 2)
    giveStatusCategory(koreai, id, "escalated")
    return { id, field: "status.statusCategory", value: "escalated" }
  },
}

contractSuite(target)
