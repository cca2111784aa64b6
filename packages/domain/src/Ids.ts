// Branded identifiers for every entity taskbridge owns or links to, and the closed set of vendors.
// Brands stop a ConnectionId from being passed where a TaskId is expected; all are non-empty strings on the wire.
import { Schema } from "effect"

export const TaskId = Schema.NonEmptyString.pipe(Schema.brand("TaskId"))
export type TaskId = typeof TaskId.Type

export const OrganizationId = Schema.NonEmptyString.pipe(Schema.brand("OrganizationId"))
export type OrganizationId = typeof OrganizationId.Type

export const ConnectionId = Schema.NonEmptyString.pipe(Schema.brand("ConnectionId"))
export type ConnectionId = typeof ConnectionId.Type

export const LinkId = Schema.NonEmptyString.pipe(Schema.brand("LinkId"))
export type LinkId = typeof LinkId.Type

export const UserId = Schema.NonEmptyString.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

/** The id a vendor gave its own record (Candid `task_id`, Kore.ai `_id`, Spry `id`, …); opaque to us. */
export const VendorRecordId = Schema.NonEmptyString.pipe(Schema.brand("VendorRecordId"))
export type VendorRecordId = typeof VendorRecordId.Type

export const Vendor = Schema.Literals(["candid", "vambe", "koreai", "spry", "carevalidate"])
export type Vendor = typeof Vendor.Type

/** Where a change came from: a person or app through our API, or one of the vendors. */
export const Origin = Schema.Union([Schema.Literal("local"), Vendor])
export type Origin = typeof Origin.Type
