// The domain's typed errors. Domain conditions are tagged errors that name the field and rule they break;
// every vendor failure is one SyncError whose `reason` says whether it is retryable and when.
import { Duration, Option, Schema } from "effect"
import { Vendor } from "./Ids.ts"

const NullableVendor = Schema.NullOr(Vendor)
const at = (vendor: Vendor | null) => (vendor === null ? "" : ` at ${vendor}`)

export class TaskNotFound extends Schema.TaggedError<TaskNotFound>()("TaskNotFound", { id: Schema.String }) {
  override get message() {
    return `task ${this.id} not found`
  }
}

export class ConnectionNotFound extends Schema.TaggedError<ConnectionNotFound>()("ConnectionNotFound", {
  id: Schema.String,
}) {
  override get message() {
    return `connection ${this.id} not found`
  }
}

/** The connection exists but cannot sync: its credentials or settings are unreadable, or its vendor has no adapter. */
export class ConnectionUnusable extends Schema.TaggedError<ConnectionUnusable>()("ConnectionUnusable", {
  id: Schema.String,
  reason: Schema.String,
}) {
  override get message() {
    return `connection ${this.id} cannot sync: ${this.reason}`
  }
}

/** The connection is paused by an operator: nothing is pulled from or pushed to it until it is resumed. */
export class ConnectionPaused extends Schema.TaggedError<ConnectionPaused>()("ConnectionPaused", {
  id: Schema.String,
}) {
  override get message() {
    return `connection ${this.id} is paused; resume it first`
  }
}

/** A state machine (canonical or a vendor's scheme) has no edge for this event from this state. */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>()("InvalidTransition", {
  field: Schema.String,
  from: Schema.String,
  event: Schema.String,
  vendor: NullableVendor,
}) {
  override get message() {
    return `${this.field}: cannot ${this.event} from '${this.from}'${at(this.vendor)}`
  }
}

/** The record is in a state that never changes again (Spry FULFILLED, a completed CareValidate escalation, …). */
export class TerminalState extends Schema.TaggedError<TerminalState>()("TerminalState", {
  field: Schema.String,
  status: Schema.String,
  vendor: NullableVendor,
}) {
  override get message() {
    return `${this.field}: '${this.status}' is terminal${at(this.vendor)}; the record cannot change any more`
  }
}

/** No status of the vendor's scheme may be written for the requested canonical status. */
export class StatusNotWritable extends Schema.TaggedError<StatusNotWritable>()("StatusNotWritable", {
  field: Schema.String,
  target: Schema.String,
  vendor: Vendor,
  reason: Schema.String,
}) {
  override get message() {
    return `${this.field}: cannot write '${this.target}' at ${this.vendor}: ${this.reason}`
  }
}

/** Optimistic concurrency: the caller edited an older version than the one stored. */
export class VersionConflict extends Schema.TaggedError<VersionConflict>()("VersionConflict", {
  id: Schema.String,
  expectedVersion: Schema.Int,
  currentVersion: Schema.Int,
}) {
  override get message() {
    return `version: expected ${this.expectedVersion} but ${this.id} is at version ${this.currentVersion}`
  }
}

export const PatchRule = Schema.Literals([
  "non-empty",
  "terminal-state",
  "forbidden-transition",
  "read-only-at-vendor",
  "name-xor-position",
  "unknown-vendor-status",
  "not-representable",
  "single-assignee",
  "assignee-kind",
  "unknown-connection",
  "not-clearable",
  "deleted-at-vendor",
])
export type PatchRule = typeof PatchRule.Type

/** One reason a patch is refused: which field, which rule, and at which linked vendor (null: the domain itself). */
export const PatchViolation = Schema.Struct({
  field: Schema.String,
  rule: PatchRule,
  vendor: NullableVendor,
  message: Schema.String,
})
export type PatchViolation = typeof PatchViolation.Type

/** A patch broke one or more rules; every violation is reported at once so callers can fix them together. */
export class PatchRejected extends Schema.TaggedError<PatchRejected>()("PatchRejected", {
  violations: Schema.NonEmptyArray(PatchViolation),
}) {
  override get message() {
    return this.violations.map((v) => `${v.field} (${v.rule}): ${v.message}`).join("; ")
  }
}

export class RateLimited extends Schema.TaggedClass<RateLimited>()("RateLimited", {
  retryAfter: Schema.DurationFromMillis,
}) {}
export class Transient extends Schema.TaggedClass<Transient>()("Transient", { detail: Schema.String }) {}
export class NotFound extends Schema.TaggedClass<NotFound>()("NotFound", { detail: Schema.String }) {}
export class Conflict extends Schema.TaggedClass<Conflict>()("Conflict", { detail: Schema.String }) {}
export class Terminal extends Schema.TaggedClass<Terminal>()("TerminalState", { detail: Schema.String }) {}
export class Validation extends Schema.TaggedClass<Validation>()("Validation", {
  field: Schema.NullOr(Schema.String),
  detail: Schema.String,
}) {}
export class Unauthorized extends Schema.TaggedClass<Unauthorized>()("Unauthorized", { detail: Schema.String }) {}
export class DeprecatedValue extends Schema.TaggedClass<DeprecatedValue>()("DeprecatedValue", {
  field: Schema.String,
  value: Schema.String,
}) {}
export class InvalidResponse extends Schema.TaggedClass<InvalidResponse>()("InvalidResponse", {
  detail: Schema.String,
}) {}

export const SyncErrorReason = Schema.Union([
  RateLimited,
  Transient,
  NotFound,
  Conflict,
  Terminal,
  Validation,
  Unauthorized,
  DeprecatedValue,
  InvalidResponse,
])
export type SyncErrorReason = typeof SyncErrorReason.Type

/** Only pressure and flakiness are worth another try; everything else needs a person or a different request. */
export const isRetryableReason = (reason: SyncErrorReason): boolean =>
  reason._tag === "RateLimited" || reason._tag === "Transient"

/** Every failure talking to a vendor. Messages carry the vendor's words, never credentials. */
export class SyncError extends Schema.TaggedError<SyncError>()("SyncError", {
  vendor: Vendor,
  operation: Schema.String,
  reason: SyncErrorReason,
}) {
  get isRetryable(): boolean {
    return isRetryableReason(this.reason)
  }
  /** The vendor's requested wait (Retry-After), when it gave one. */
  get retryAfter(): Option.Option<Duration.Duration> {
    return this.reason._tag === "RateLimited" ? Option.some(this.reason.retryAfter) : Option.none()
  }
  override get message() {
    const r = this.reason
    const detail =
      r._tag === "RateLimited"
        ? `retry after ${Duration.toMillis(r.retryAfter)} ms`
        : r._tag === "DeprecatedValue"
          ? `${r.field} '${r.value}' is deprecated`
          : r.detail
    return `${this.vendor} ${this.operation} failed (${r._tag}): ${detail}`
  }
}
