// The Spry adapter passes the shared adapter contract against the Spry emulator, over real HTTP, built from its vendor
// definition as the engine builds it.
import { contractSuite } from "@taskbridge/adapter-testkit/Contract"
import type { ContractTarget } from "@taskbridge/adapter-testkit/Target"
import { Assignee } from "@taskbridge/domain/Assignment"
import { IanaZone, PlainDate } from "@taskbridge/domain/Due"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { startSpry } from "@taskbridge/sandbox/spry/Emulator"
import { definition } from "../src/Definition.ts"
import { draftFor, windowOf, withEnd } from "./drafts.ts"
import { activeId, control, requestsOf, type Spry, settingsFor, vendorCall, withStatus } from "./support.ts"

const ext = (record: VendorRecord) => {
  const e = record.snapshot.extension
  if (e?._tag !== "spry") throw new Error("not a Spry record")
  return e
}

const target: ContractTarget<Spry> = {
  definition,
  start: () => startSpry({ port: 0, seed: 13, size: 150 }),
  settings: (spry) => settingsFor(spry),
  visibleIds: (spry) => new Set(requestsOf(spry).map((r) => r.id)),
  editable: (spry) => activeId(spry, false),
  writable: [
    {
      field: "notes (the description)",
      write: (record) => {
        const next = `${record.snapshot.fields.description ?? ""} (checked by taskbridge)`.trim()
        return { change: { fields: { description: next } }, landed: (a) => a.snapshot.fields.description === next }
      },
    },
    {
      field: "priority (1–5, inverted)",
      write: (record) => {
        const next = record.snapshot.fields.priority === "urgent" ? "low" : "urgent"
        return { change: { fields: { priority: next } }, landed: (a) => a.snapshot.fields.priority === next }
      },
    },
    {
      field: "the date window (its due)",
      write: (record) => {
        const due = withEnd(windowOf(record), 7)
        return { change: { fields: { due } }, landed: (a) => windowOf(a).end === due.end }
      },
    },
    {
      field: "status ACTIVE → CANCELLED",
      write: () => ({
        change: { fields: {}, vendorStatus: "CANCELLED" },
        landed: (a) => a.snapshot.vendorStatus === "CANCELLED" && a.snapshot.fields.status === "cancelled",
      }),
    },
    {
      field: "preferences, replaced whole",
      write: (record) => {
        const days = ext(record).preferredDays.includes("SATURDAY")
          ? (["MONDAY"] as const)
          : (["SATURDAY", "SUNDAY"] as const)
        return {
          change: {
            fields: {},
            extension: { _tag: "spry", preferredDays: [...days], preferredTimeSlots: ["EVENING"] },
          },
          landed: (a) =>
            JSON.stringify(ext(a).preferredDays) === JSON.stringify(days) &&
            JSON.stringify(ext(a).preferredTimeSlots) === JSON.stringify(["EVENING"]),
        }
      },
    },
    {
      field: "payment type",
      write: (record) => {
        const next = ext(record).paymentType === "SELF_PAY" ? "INSURANCE_PAY" : "SELF_PAY"
        return {
          change: { fields: {}, extension: { _tag: "spry", paymentType: next } },
          landed: (a) => ext(a).paymentType === next,
        }
      },
    },
  ],
  refusedBeforeHttp: [
    { name: "a title change (it is derived)", change: () => ({ fields: { title: Title.make("New") } }) },
    {
      name: "an assignee (Spry has none)",
      change: () => ({ fields: { assignees: [Assignee.cases.User.make({ id: UserId.make("someone") })] } }),
    },
    { name: "tags (Spry has none)", change: () => ({ fields: { tags: ["vip"] } }) },
    { name: "an appended note (its one note is the description)", change: () => ({ fields: {}, note: "hello" }) },
    { name: "FULFILLED (only Spry fulfils)", change: () => ({ fields: {}, vendorStatus: "FULFILLED" }) },
    { name: "EXPIRED (only Spry expires)", change: () => ({ fields: {}, vendorStatus: "EXPIRED" }) },
    { name: "clearing the window", change: () => ({ fields: { due: { _tag: "None" } } }) },
    {
      name: "a window in another zone than the clinic's",
      change: (record) => ({ fields: { due: { ...windowOf(record), zone: IanaZone.make("Asia/Tokyo") } } }),
    },
    {
      name: "a single day instead of a window",
      change: (record) => ({ fields: { due: { _tag: "AllDay", date: PlainDate.make(windowOf(record).start) } } }),
    },
    {
      name: "another vendor's fields",
      change: () => ({ fields: {}, extension: { _tag: "candid", blocksClaimSubmission: true } }),
    },
    { name: "an empty change", change: () => ({ fields: {} }) },
  ],
  rejections: [
    {
      name: "a request Spry closed meanwhile (409/4090)",
      arrange: async (spry, record) => {
        await control(spry, `/waitlist-requests/${record.id}/fulfil`)
        return { id: record.id, parent: record.parent }
      },
      change: () => ({ fields: { description: "too late" } }),
      reason: "TerminalState",
    },
    {
      name: "a narrower window while invites are active (400/4000)",
      arrange: async (spry, record) => {
        await control(spry, `/waitlist-requests/${record.id}/offer`, { status: "SENT" })
        return { id: record.id, parent: record.parent }
      },
      change: (record) => ({ fields: { due: withEnd(windowOf(record), -1) } }),
      reason: "Validation",
    },
    {
      name: "another organisation's request (not found)",
      arrange: async (spry) => ({ id: activeId(spry, false, 1), parent: null }),
      change: () => ({ fields: { priority: "high" } }),
      reason: "NotFound",
    },
  ],
  auth: {
    kind: "token",
    tokenPath: "/apis/v2/oauth/token",
    // The vendor forgets the token's lifetime; our cache still believes it is fresh.
    expire: async (spry) => {
      await control(spry, "/tokens/expire")
    },
  },
  create: {
    draft: (spry) => draftFor(spry, "contract-create", "Contract: call before 9am"),
    matches: (record) => record.snapshot.fields.description === "Contract: call before 9am",
  },
  deleteAtVendor: async (spry) => {
    const id = activeId(spry, false, 0, 1)
    const answer = await vendorCall(spry, "DELETE", `/apis/v1/waitlist-requests/${id}`)
    if (answer.status !== 204) throw new Error(`the vendor's delete answered ${answer.status}`)
    return id
  },
  terminal: {
    arrange: async (spry) => withStatus(spry, "FULFILLED"),
    patch: { description: "too late" },
  },
  unreadable: { field: "priority", pathPrefix: "/apis/v1/waitlist-requests" },
  unknownEnum: async (spry) => {
    const id = activeId(spry, false)
    await control(spry, `/waitlist-requests/${id}/future-value`, { field: "status", value: "ON_HOLD" })
    return { id, field: "status", value: "ON_HOLD" }
  },
}

contractSuite(target)
