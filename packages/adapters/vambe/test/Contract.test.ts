// The Vambe adapter passes the shared adapter contract against the Vambe emulator, over real HTTP, built from its
// vendor definition as the engine builds it.
import { contractSuite } from "@taskbridge/adapter-testkit/Contract"
import type { ContractTarget } from "@taskbridge/adapter-testkit/Target"
import { Assignee } from "@taskbridge/domain/Assignment"
import { IanaZone, PlainDate } from "@taskbridge/domain/Due"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import type { VendorRecord } from "@taskbridge/domain/VendorRecord"
import { startVambe } from "@taskbridge/sandbox/vambe/Emulator"
import { DateTime } from "effect"
import { definition } from "../src/Definition.ts"
import { control, org, taskIn, tasksOf, type Vambe, vendorCall } from "./support.ts"

const user = (id: string) => Assignee.cases.User.make({ id: UserId.make(id) })
const dueMillis = (record: VendorRecord) => {
  const due = record.snapshot.fields.due
  return due._tag === "Instant" ? DateTime.toEpochMillis(due.at) : null
}
const DAY = 86_400_000
const santiago = IanaZone.make("America/Santiago")

const target: ContractTarget<Vambe> = {
  definition,
  start: () => startVambe({ port: 0, seed: 7, size: 160 }),
  settings: (v) => ({ baseUrl: v.url, credentials: { apiKey: org(v).apiKey }, options: {} }),
  visibleIds: (v) => new Set(tasksOf(v).map((t) => t.id)),
  editable: (v) => taskIn(v, ["initial"]).id,
  writable: [
    {
      field: "title",
      write: (record) => {
        const title = Title.make(`${record.snapshot.fields.title} (revisado)`)
        return { change: { fields: { title } }, landed: (a) => a.snapshot.fields.title === title }
      },
    },
    {
      field: "description, to a value and to null",
      write: (record) => {
        const next = record.snapshot.fields.description === null ? "Llamar después de las 18:00" : null
        return { change: { fields: { description: next } }, landed: (a) => a.snapshot.fields.description === next }
      },
    },
    {
      field: "status, by name",
      write: (record, v) => {
        const next = org(v).statuses.find((s) => s.type === "in_progress" && s.name !== record.snapshot.vendorStatus)
        const name = next?.name ?? ""
        return {
          change: { fields: {}, vendorStatus: name },
          landed: (a) => a.snapshot.vendorStatus === name && a.snapshot.fields.status === "in_progress",
        }
      },
    },
    {
      field: "priority",
      write: (record) => {
        const next = record.snapshot.fields.priority === "high" ? "low" : "high"
        return { change: { fields: { priority: next } }, landed: (a) => a.snapshot.fields.priority === next }
      },
    },
    {
      field: "a timed due in a zone",
      write: (record) => {
        const at = Math.floor(((dueMillis(record) ?? Date.now()) + DAY) / 60_000) * 60_000
        const due = { _tag: "Instant" as const, at: DateTime.makeUnsafe(at), zone: santiago }
        return {
          change: { fields: { due } },
          landed: (a) => dueMillis(a) === at && a.snapshot.fields.due._tag === "Instant",
        }
      },
    },
    {
      field: "an all-day due",
      write: () => {
        const due = { _tag: "AllDay" as const, date: PlainDate.make("2026-09-18"), zone: santiago }
        return {
          change: { fields: { due } },
          landed: (a) => a.snapshot.fields.due._tag === "AllDay" && a.snapshot.fields.due.date === "2026-09-18",
        }
      },
    },
    {
      field: "no due (cleared)",
      write: () => ({
        change: { fields: { due: { _tag: "None" } } },
        landed: (a) => a.snapshot.fields.due._tag === "None",
      }),
    },
    {
      field: "the whole set of responsibles",
      write: (record, v) => {
        const current = new Set<string>(record.snapshot.fields.assignees.map((a) => (a._tag === "User" ? a.id : "")))
        const next = org(v)
          .members.filter((m) => !current.has(m.id))
          .slice(0, 2)
          .map((m) => m.id)
        return {
          change: { fields: { assignees: next.map(user) } },
          landed: (a) =>
            JSON.stringify(a.snapshot.fields.assignees.map((x) => (x._tag === "User" ? x.id : "")).sort()) ===
            JSON.stringify([...next].sort()),
        }
      },
    },
  ],
  refusedBeforeHttp: [
    { name: "an urgent priority (Vambe has three steps)", change: () => ({ fields: { priority: "urgent" } }) },
    { name: "no priority (a Vambe task always has one)", change: () => ({ fields: { priority: "none" } }) },
    {
      name: "an e-mail assignee (Vambe assigns by user id)",
      change: () => ({ fields: { assignees: [Assignee.cases.Email.make({ email: "ana@example.cl" })] } }),
    },
    {
      name: "a timed due without a zone",
      change: () => ({ fields: { due: { _tag: "Instant", at: DateTime.makeUnsafe("2026-03-01T12:00:00Z") } } }),
    },
    {
      name: "a date window",
      change: () => ({
        fields: {
          due: {
            _tag: "Window",
            start: PlainDate.make("2026-03-01"),
            end: PlainDate.make("2026-03-05"),
            zone: santiago,
          },
        },
      }),
    },
    { name: "an appended note (notes have no API)", change: () => ({ fields: {}, note: "hola" }) },
    { name: "tags (Vambe tasks have none)", change: () => ({ fields: { tags: ["vip"] } }) },
    { name: "an empty change", change: () => ({ fields: {} }) },
  ],
  rejections: [
    {
      name: "another organization's task",
      arrange: async (v) => ({ id: taskIn(v, ["initial", "in_progress"], 1).id, parent: null }),
      change: () => ({ fields: { title: Title.make("No es nuestra") } }),
      reason: "NotFound",
    },
    {
      name: "a status name the organization does not have",
      arrange: async (_, record) => ({ id: record.id, parent: record.parent }),
      change: () => ({ fields: {}, vendorStatus: "Inexistente" }),
      reason: "Validation",
    },
    {
      name: "a responsible who is not a team member",
      arrange: async (_, record) => ({ id: record.id, parent: record.parent }),
      change: () => ({ fields: { assignees: [user("6fa459ea-ee8a-4ca4-894e-db77e160355e")] } }),
      reason: "Validation",
    },
  ],
  auth: {
    kind: "refusal",
    revoke: async (v) => {
      await control(v, "POST", `/organizations/${org(v).organizationId}/revoke-key`, {})
    },
  },
  create: {
    draft: (v) => ({
      key: "contract-create",
      snapshot: {
        fields: {
          title: Title.make("Confirmar hora con la paciente"),
          description: "Contrato: confirmar por WhatsApp",
          status: "open",
          priority: "normal",
          due: { _tag: "AllDay", date: PlainDate.make("2026-04-02"), zone: santiago },
          assignees: [user(org(v).members[1]?.id ?? "")],
          tags: [],
        },
        vendorStatus: org(v).statuses[0]?.name ?? "",
        subjects: {},
        notes: [],
        extension: { _tag: "vambe", statusConfigId: null, creatorId: null },
      },
    }),
    matches: (record) => record.snapshot.fields.description === "Contrato: confirmar por WhatsApp",
  },
  deleteAtVendor: async (v) => {
    const id = taskIn(v, ["in_progress", "initial"]).id
    await vendorCall(v, "DELETE", `/api/public/tasks/${id}`)
    return id
  },
  terminal: {
    arrange: async (v) => taskIn(v, ["done", "master_done"]).id,
    patch: { status: "in_progress" },
  },
  unreadable: { field: "title", pathPrefix: "/api/public/tasks" },
  unknownEnum: async (v) => {
    const organization = org(v)
    const statuses = [
      ...organization.statuses.map(({ name, type }) => ({ name, type })),
      { name: "Archivado", type: "archived" },
    ]
    await control(v, "PATCH", `/organizations/${organization.organizationId}`, { statuses })
    const id = taskIn(v, ["initial"]).id
    await vendorCall(v, "PUT", `/api/public/tasks/${id}`, { newStatusName: "Archivado" })
    return { id, field: "status_config.type", value: "archived" }
  },
}

contractSuite(target)
