// Test data: organizations, connections and tasks created through the repositories, with ids unique per call so
// suites sharing one database never collide.
import { randomUUID } from "node:crypto"
import { Due } from "@taskbridge/domain/Due"
import { ConnectionId, LinkId, OrganizationId, TaskId, type Vendor, VendorRecordId } from "@taskbridge/domain/Ids"
import { Task, type TaskLink, Title } from "@taskbridge/domain/Task"
import { DateTime, Effect, Redacted } from "effect"
import { ConnectionRepository } from "../src/ConnectionRepository.ts"
import { OrganizationRepository } from "../src/OrganizationRepository.ts"

export const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`

export const at = (iso: string) => DateTime.makeUnsafe(iso)

export const organization = Effect.fn("fixtures.organization")(function* () {
  const orgs = yield* OrganizationRepository
  return (yield* orgs.create({ id: OrganizationId.make(uid("org")), name: "Acme Health" })).id
})

export const connection = Effect.fn("fixtures.connection")(function* (
  org: OrganizationId,
  vendor: Vendor,
  credentials = "api-key-not-shown",
) {
  const connections = yield* ConnectionRepository
  const created = yield* connections.create({
    id: ConnectionId.make(uid(vendor)),
    organizationId: org,
    vendor,
    name: `${vendor} production`,
    baseUrl: `https://${vendor}.example.test`,
    credentials: Redacted.make(credentials),
    statusScheme: null,
    identityMap: [],
    options: {},
    enabled: true,
  })
  return created.id
})

export const link = (connectionId: ConnectionId, vendor: Vendor, record = uid("rec")): TaskLink => ({
  id: LinkId.make(uid("link")),
  connectionId,
  vendor,
  recordId: VendorRecordId.make(record),
  parent: null,
  vendorStatus: "open",
  extension: null,
  syncedAt: null,
  deletedAt: null,
})

export const task = (org: OrganizationId, overrides: Partial<ConstructorParameters<typeof Task>[0]> = {}) =>
  new Task({
    id: TaskId.make(uid("task")),
    organizationId: org,
    kind: "task",
    title: Title.make("Call the payer"),
    description: null,
    status: "open",
    priority: "normal",
    due: Due.cases.None.make({}),
    assignees: [],
    tags: [],
    closedAt: null,
    subjects: {},
    notes: [],
    links: [],
    createdAt: at("2026-11-01T10:00:00Z"),
    updatedAt: at("2026-11-01T10:00:00Z"),
    deletedAt: null,
    version: 1,
    ...overrides,
  })
