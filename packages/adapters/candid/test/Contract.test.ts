// The Candid adapter passes the shared adapter contract against the Candid emulator, over real HTTP.

import { contractSuite } from "@taskbridge/adapter-testkit/Contract"
import type { ContractTarget } from "@taskbridge/adapter-testkit/Target"
import { Assignee } from "@taskbridge/domain/Assignment"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { definition } from "../src/Definition.ts"
import { candidDraft } from "./drafts.ts"

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

/** The encounter of organization 0's first task: creates attach to an encounter the tenant owns. */
const firstEncounter = (candid: Candid) => {
  const { tasks, ids } = candid.state().store
  for (let i = 0; i < tasks.length; i++) {
    if (tasks.cols.org[i] === 0) return ids.encounter.encode(tasks.cols.encounter[i] ?? 0)
  }
  throw new Error("organization 0 has no tasks")
}

/** A Candid staff member's edit, through Candid's own API with the tenant's credentials. */
const vendorPatch = async (candid: Candid, id: string, body: unknown) => {
  const o = org(candid, 0)
  const token = (await fetch(`${candid.url}/api/auth/v2/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: o.clientId, client_secret: o.clientSecret }),
  }).then((r) => r.json())) as { access_token: string }
  const answer = await fetch(`${candid.url}/api/tasks/v3/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${token.access_token}` },
    body: JSON.stringify(body),
  })
  if (answer.status !== 200) throw new Error(`vendor edit failed: ${answer.status}`)
}

const control = (candid: Candid, method: string, path: string, body: unknown) =>
  fetch(`${candid.url}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })

const blocks = (record: VendorRecord) => {
  const ext = record.snapshot.extension
  return ext?._tag === "candid" ? ext.blocksClaimSubmission : undefined
}
const vendorStatus = (record: VendorRecord) => record.snapshot.vendorStatus
const assignees = (record: VendorRecord) => record.snapshot.fields.assignees

const target: ContractTarget<Candid> = {
  definition,
  start: () => startCandid({ port: 0, seed: 11, size: 300 }),
  settings: (candid) => {
    const o = org(candid, 0)
    return {
      baseUrl: candid.url,
      credentials: { clientId: o.clientId, clientSecret: o.clientSecret },
      options: { workQueueId: o.workQueueIds[0] ?? "", pageSize: 50 },
    }
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
        const o = org(candid, 0)
        await control(candid, "PATCH", `/organizations/${o.organizationId}`, {
          deprecatedStatuses: ["waiting_for_review"],
        })
        return { id: record.id, parent: null }
      },
      change: () => ({ fields: {}, vendorStatus: "waiting_for_review" }),
      reason: "DeprecatedValue",
    },
    {
      name: "a task of another organization",
      arrange: async (candid) => ({ id: idsOf(candid, 1)[0] ?? "", parent: null }),
      change: () => ({ fields: {}, vendorStatus: "blocked" }),
      reason: "Unauthorized",
    },
  ],
  create: {
    draft: (candid) =>
      candidDraft({
        key: "contract-create",
        encounter: firstEncounter(candid),
        description: "Contract: verify eligibility before resubmitting",
        taskType: "ELIGIBILITY",
        category: null,
      }),
    matches: (record) => record.snapshot.fields.description === "Contract: verify eligibility before resubmitting",
  },
  terminal: {
    arrange: async (candid) => {
      const id = idsOf(candid, 0)[1] ?? ""
      await vendorPatch(candid, id, { status: "finished" })
      return id
    },
    patch: { status: "in_progress" },
  },
  auth: {
    kind: "token",
    tokenPath: "/api/auth/v2/token",
    // Move the vendor's clock past the token's lifetime; our cache still believes the token is fresh.
    expire: async (candid) => {
      candid.control.clock.advance(86_400_000 + 1_000)
    },
  },
  unreadable: { field: "task_type", pathPrefix: "/api/tasks/v3" },
  unknownEnum: async (candid) => {
    const id = idsOf(candid, 0)[0] ?? ""
    await control(candid, "POST", `/tasks/${id}/future-status`, { status: "escalated_to_payer" })
    return { id, field: "status", value: "escalated_to_payer" }
  },
}

contractSuite(target)
