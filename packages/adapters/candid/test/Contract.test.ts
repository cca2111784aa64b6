// The Candid adapter passes the shared adapter contract against the Candid emulator, over real HTTP.

import { contractSuite } from "@taskbridge/adapter-testkit/Contract"
import type { ContractTarget } from "@taskbridge/adapter-testkit/Target"
import { Assignee } from "@taskbridge/domain/Assignment"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { Redacted } from "effect"
import { make } from "../src/Adapter.ts"

type Candid = Awaited<ReturnType<typeof startCandid>>

const org = (candid: Candid, index: number) => {
  const found = candid.state().store.orgs[index]
  if (found === undefined) throw new Error(`no organization ${index}`)
  return found
}

const idsOf = (candid: Candid, orgIndex: number): Array<string> => {
  const { tasks, ids } = candid.state().store
  const out: Array<string> = []
  for (let i = 0; i < tasks.length; i++) if (tasks.cols.org[i] === orgIndex) out.push(ids.task.encode(i))
  return out
}

const control = (candid: Candid, method: string, path: string, body: unknown) =>
  fetch(`${candid.url}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })

const extension = (record: VendorRecord) => (record._tag === "Task" ? record.snapshot.extension : null)
const blocks = (record: VendorRecord) => {
  const ext = extension(record)
  return ext?._tag === "candid" ? ext.blocksClaimSubmission : undefined
}
const vendorStatus = (record: VendorRecord) => (record._tag === "Task" ? record.snapshot.vendorStatus : undefined)
const assignees = (record: VendorRecord) => (record._tag === "Task" ? record.snapshot.fields.assignees : [])

const target: ContractTarget<Candid> = {
  vendor: "candid",
  start: () => startCandid({ port: 0, seed: 11, size: 300 }),
  adapter: (candid) => {
    const o = org(candid, 0)
    return make({
      baseUrl: candid.url,
      clientId: o.clientId,
      clientSecret: Redacted.make(o.clientSecret),
      workQueueId: o.workQueueIds[0],
      pageSize: 50,
    })
  },
  visibleIds: (candid) => new Set(idsOf(candid, 0)),
  editable: (candid) => idsOf(candid, 0)[0] ?? "",
  writable: [
    {
      field: "status",
      write: (record) => {
        const next = vendorStatus(record) === "blocked" ? "in_progress" : "blocked"
        return { change: { fields: {}, vendorStatus: next }, landed: (answer) => vendorStatus(answer) === next }
      },
    },
    {
      field: "assignee",
      write: () => {
        const user = UserId.make("6f1c2a52-8c1d-4a8e-9d2b-0c5e7f9a1b3d")
        return {
          change: { fields: { assignees: [Assignee.cases.User.make({ id: user })] } },
          landed: (answer) => {
            const [only, ...rest] = assignees(answer)
            return rest.length === 0 && only?._tag === "User" && only.id === user
          },
        }
      },
    },
    {
      field: "blocks_claim_submission",
      write: (record) => {
        const next = blocks(record) !== true
        return {
          change: { fields: {}, extension: { _tag: "candid", blocksClaimSubmission: next } },
          landed: (answer) => blocks(answer) === next,
        }
      },
    },
  ],
  refusedBeforeHttp: [
    {
      name: "a title change (derived from type and category)",
      change: () => ({ fields: { title: Title.make("New") } }),
    },
    { name: "a deprecated status", change: () => ({ fields: {}, vendorStatus: "sent_to_provider_group" }) },
    { name: "a note (Candid's API cannot write notes)", change: () => ({ fields: {}, note: "hello" }) },
  ],
  rejections: [
    {
      name: "a status the vendor deprecated without telling us",
      arrange: async (candid, record) => {
        const o = org(candid as Candid, 0)
        await control(candid as Candid, "PATCH", `/organizations/${o.organizationId}`, {
          deprecatedStatuses: ["waiting_for_review"],
        })
        return record.id
      },
      change: () => ({ fields: {}, vendorStatus: "waiting_for_review" }),
      reason: "DeprecatedValue",
    },
    {
      name: "a task of another organization",
      arrange: async (candid) => idsOf(candid as Candid, 1)[0] ?? "",
      change: () => ({ fields: {}, vendorStatus: "blocked" }),
      reason: "Unauthorized",
    },
  ],
  auth: {
    kind: "token",
    tokenPath: "/api/auth/v2/token",
    // Move the vendor's clock past the token's lifetime; our cache still believes the token is fresh.
    expire: async (candid) => {
      candid.control.clock.advance(86_400_000 + 1_000)
    },
  },
  unknownEnum: async (candid) => {
    const id = idsOf(candid, 0)[0] ?? ""
    await control(candid, "POST", `/tasks/${id}/future-status`, { status: "escalated_to_payer" })
    return { id, field: "status", value: "escalated_to_payer" }
  },
}

contractSuite(target)
