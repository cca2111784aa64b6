// Branded identifiers for every entity taskbridge owns or links to, and the closed set of vendors.
// Brands stop a ConnectionId from being passed where a TaskId is expected; all are non-empty strings on the wire.
import { Schema } from "effect"

// Every id, ours or a vendor's, is at most 200 characters (UUIDs are 36; vendors' ids are shorter still).
const Id = Schema.NonEmptyString.pipe(Schema.check(Schema.isMaxLength(200)))

export const TaskId = Id.pipe(Schema.brand("TaskId"))
export type TaskId = typeof TaskId.Type

export const OrganizationId = Id.pipe(Schema.brand("OrganizationId"))
export type OrganizationId = typeof OrganizationId.Type

export const ConnectionId = Id.pipe(Schema.brand("ConnectionId"))
export type ConnectionId = typeof ConnectionId.Type

export const LinkId = Id.pipe(Schema.brand("LinkId"))
export type LinkId = typeof LinkId.Type

export const UserId = Id.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

/** The id a vendor gave its own record (Candid `task_id`, Kore.ai `_id`, Spry `id`, …); opaque to us. */
export const VendorRecordId = Id.pipe(Schema.brand("VendorRecordId"))
export type VendorRecordId = typeof VendorRecordId.Type

export const Vendor = Schema.Literals(["candid", "vambe", "koreai", "spry", "carevalidate"])
export type Vendor = typeof Vendor.Type

/** Where a change came from: a person or app through our API, or one of the vendors. */
export const Origin = Schema.Union([Schema.Literal("local"), Vendor])
export type Origin = typeof Origin.Type
