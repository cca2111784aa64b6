// Shared test fixtures: a task, links, and capability declarations shaped like the adapters' manifests.
import { DateTime, Result } from "effect"
import type { Capabilities } from "../src/Capabilities.ts"
import { Due } from "../src/Due.ts"
import { ConnectionId, LinkId, OrganizationId, TaskId, type Vendor, VendorRecordId } from "../src/Ids.ts"
import type { LinkedVendor } from "../src/PatchValidation.ts"
import type { StatusScheme } from "../src/StatusScheme.ts"
import { candidScheme } from "../src/schemes/Candid.ts"
import { careValidateEscalationScheme } from "../src/schemes/CareValidate.ts"
import { spryScheme } from "../src/schemes/Spry.ts"
import { vambeScheme } from "../src/schemes/Vambe.ts"
import { Task, type TaskLink, Title } from "../src/Task.ts"

const at = "2026-11-01T10:00:00Z"

export const task = (overrides: Partial<ConstructorParameters<typeof Task>[0]> = {}) =>
  Task.make({
    id: TaskId.make("task-1"),
    organizationId: OrganizationId.make("org-1"),
    kind: "task",
    title: Title.make("Call the payer"),
    description: null,
    status: "open",
    priority: "normal",
    due: Due.cases.None.make({}),
    assignees: [],
    tags: ["billing"],
    closedAt: null,
    subjects: {},
    notes: [],
    links: [],
    createdAt: DateTime.makeUnsafe(at),
    updatedAt: DateTime.makeUnsafe(at),
    deletedAt: null,
    version: 1,
    ...overrides,
  })

export const link = (vendor: Vendor, vendorStatus: string | null): TaskLink => ({
  id: LinkId.make(`link-${vendor}`),
  connectionId: ConnectionId.make(`conn-${vendor}`),
  vendor,
  recordId: VendorRecordId.make(`rec-${vendor}`),
  parent: null,
  vendorStatus,
  extension: null,
  syncedAt: null,
  deletedAt: null,
})

const allFields = (access: Capabilities["fields"]["title"]): Capabilities["fields"] => ({
  title: access,
  description: access,
  status: access,
  priority: access,
  due: access,
  assignees: access,
  tags: access,
  notes: access,
})

export const candidCapabilities: Capabilities = {
  fields: {
    ...allFields("unsupported"),
    title: "read-only",
    description: "create-only",
    status: "writable",
    assignees: "writable",
    notes: "read-only",
  },
  cannotClear: ["assignees"],
  assignment: "single",
  assigneeKinds: ["User"],
  priorityLevels: [],
  dueForms: [],
  canCreate: true,
  canDelete: false,
  changeDetection: "updated-since-cursor",
  deletions: "none",
  webhooks: false,
}

export const vambeCapabilities: Capabilities = {
  fields: { ...allFields("writable"), tags: "unsupported", notes: "unsupported" },
  cannotClear: [],
  assignment: "replace-all",
  assigneeKinds: ["User"],
  priorityLevels: ["low", "normal", "high"],
  dueForms: ["None", "Instant", "AllDay"],
  canCreate: true,
  canDelete: true,
  changeDetection: "snapshot-hash",
  deletions: "sweep",
  webhooks: false,
}

export const spryCapabilities: Capabilities = {
  fields: {
    ...allFields("unsupported"),
    description: "writable",
    status: "writable",
    priority: "writable",
    due: "writable",
  },
  cannotClear: [],
  assignment: "none",
  assigneeKinds: [],
  priorityLevels: ["none", "low", "normal", "high", "urgent"],
  dueForms: ["Window"],
  canCreate: true,
  canDelete: true,
  changeDetection: "sorted-scan",
  deletions: "sweep",
  webhooks: false,
}

/** CareValidate escalations: note (the description), follow-up instant and one assignee; none can be cleared. */
export const careValidateCapabilities: Capabilities = {
  fields: {
    ...allFields("unsupported"),
    title: "create-only",
    description: "writable",
    status: "read-only",
    due: "writable",
    assignees: "writable",
  },
  cannotClear: ["description", "due", "assignees"],
  assignment: "single",
  assigneeKinds: ["Email", "User"],
  priorityLevels: [],
  dueForms: ["Instant"],
  canCreate: true,
  canDelete: false,
  changeDetection: "webhook-reconcile",
  deletions: "none",
  webhooks: true,
}

export const vambeStatuses: StatusScheme = Result.getOrThrow(
  vambeScheme({
    statuses: [
      { name: "Pendiente", type: "initial", order: 0 },
      { name: "En Progreso", type: "in_progress", order: 1 },
      { name: "Completado", type: "master_done", order: 2 },
    ],
  }),
)

export const linked = {
  candid: (status: string | null = "open"): LinkedVendor => ({
    link: link("candid", status),
    capabilities: candidCapabilities,
    scheme: candidScheme(),
  }),
  vambe: (status: string | null = "Pendiente"): LinkedVendor => ({
    link: link("vambe", status),
    capabilities: vambeCapabilities,
    scheme: vambeStatuses,
  }),
  spry: (status: string | null = "ACTIVE"): LinkedVendor => ({
    link: link("spry", status),
    capabilities: spryCapabilities,
    scheme: spryScheme(),
  }),
  carevalidate: (status: string | null = "active"): LinkedVendor => ({
    link: link("carevalidate", status),
    capabilities: careValidateCapabilities,
    scheme: careValidateEscalationScheme(),
  }),
}
