// A vendor connection's own status vocabulary: names and order, the canonical category of each, allowed moves,
// terminal / system-only / write-forbidden states, and resolving "move to canonical X" into the status to write.
import { Result, Schema } from "effect"
import { InvalidTransition, StatusNotWritable, TerminalState } from "./Errors.ts"
import { Vendor } from "./Ids.ts"
import { CanonicalStatus } from "./Status.ts"

export const VendorStatus = Schema.Struct({
  /** The vendor's own value ("finished", "En Progreso", "ACTIVE"). */
  name: Schema.NonEmptyString,
  /** Where the vendor addresses it by number (Vambe `newStatusPosition`); otherwise its index in the list. */
  position: Schema.Int,
  /** The vendor's object id where statuses are objects (Kore.ai `sts-…`, Vambe `status_config.id`). */
  vendorId: Schema.optionalKey(Schema.String),
  category: CanonicalStatus,
  /** Once here, the status never changes again. */
  terminal: Schema.Boolean,
  /** Set only by the vendor itself (Spry FULFILLED/EXPIRED, a completed CareValidate escalation). */
  systemOnly: Schema.Boolean,
  /** Must never be written (Candid's deprecated statuses, Kore.ai's inactive ones). */
  writeForbidden: Schema.Boolean,
})
export type VendorStatus = typeof VendorStatus.Type

export const StatusEdge = Schema.Struct({ from: Schema.String, to: Schema.String })

export const StatusScheme = Schema.Struct({
  vendor: Vendor,
  statuses: Schema.NonEmptyArray(VendorStatus),
  /** Vambe takes a status by name or by position (never both); everyone else by name. */
  addressing: Schema.Literals(["name", "name-or-position"]),
  /** `"any"` where the vendor documents no restriction between non-terminal statuses. */
  transitions: Schema.Union([Schema.Literal("any"), Schema.Array(StatusEdge)]),
  /** A record in a terminal status refuses every change, not only status changes (Spry 409, CareValidate). */
  freezesOnTerminal: Schema.Boolean,
  /** Which vendor status to write for a canonical status when several share its category. */
  preferred: Schema.Record(Schema.String, Schema.String),
})
export type StatusScheme = typeof StatusScheme.Type

export type StatusRef = { readonly name: string } | { readonly position: number }

export type StatusMoveError = InvalidTransition | TerminalState | StatusNotWritable

export const findStatus = (scheme: StatusScheme, ref: StatusRef): VendorStatus | undefined =>
  "name" in ref
    ? scheme.statuses.find((s) => s.name === ref.name)
    : scheme.statuses.find((s) => s.position === ref.position)

export const categoryOf = (scheme: StatusScheme, name: string): CanonicalStatus | undefined =>
  findStatus(scheme, { name })?.category

export const isTerminal = (scheme: StatusScheme, name: string): boolean =>
  findStatus(scheme, { name })?.terminal ?? false

const edgeAllowed = (scheme: StatusScheme, from: string, to: string) =>
  scheme.transitions === "any" || scheme.transitions.some((e) => e.from === from && e.to === to)

/** Can a writer move a record from vendor status `from` (null: a new record) to `to`? Staying put always can. */
export const checkMove = (
  scheme: StatusScheme,
  from: string | null,
  to: VendorStatus,
): Result.Result<VendorStatus, StatusMoveError> => {
  const { vendor } = scheme
  if (from === to.name) return Result.succeed(to)
  if (from !== null && isTerminal(scheme, from)) {
    return Result.fail(new TerminalState({ field: "status", status: from, vendor }))
  }
  if (to.systemOnly) {
    return Result.fail(
      new StatusNotWritable({ field: "status", target: to.name, vendor, reason: `only ${vendor} sets it` }),
    )
  }
  if (to.writeForbidden) {
    const reason = "it is write-forbidden (deprecated or inactive)"
    return Result.fail(new StatusNotWritable({ field: "status", target: to.name, vendor, reason }))
  }
  if (from !== null && !edgeAllowed(scheme, from, to.name)) {
    return Result.fail(new InvalidTransition({ field: "status", from, event: `move to ${to.name}`, vendor }))
  }
  return Result.succeed(to)
}

/**
 * Resolve "move this record to canonical `target`" into the vendor status to write. A record already in that
 * category stays where it is; otherwise the preferred status for the category wins, then the first in order.
 */
export const resolve = (
  scheme: StatusScheme,
  from: string | null,
  target: CanonicalStatus,
): Result.Result<VendorStatus, StatusMoveError> => {
  const current = from === null ? undefined : findStatus(scheme, { name: from })
  if (current?.category === target) return Result.succeed(current)
  const preferred = scheme.preferred[target]
  const candidates = scheme.statuses
    .filter((s) => s.category === target)
    .sort((a, b) => Number(b.name === preferred) - Number(a.name === preferred))
  if (candidates.length === 0) {
    const reason = `no ${scheme.vendor} status maps to '${target}'`
    return Result.fail(new StatusNotWritable({ field: "status", target, vendor: scheme.vendor, reason }))
  }
  let firstError: StatusMoveError | undefined
  for (const candidate of candidates) {
    const moved = checkMove(scheme, from, candidate)
    if (Result.isSuccess(moved)) return moved
    firstError ??= moved.failure
  }
  return Result.fail(firstError as StatusMoveError)
}

/** Learned at run time: Candid answers 422 `TaskUpdatedToDeprecatedStatusError` naming a status to never write. */
export const forbidWrites = (scheme: StatusScheme, name: string): StatusScheme => ({
  ...scheme,
  statuses: mapNonEmpty(scheme.statuses, (s) => (s.name === name ? { ...s, writeForbidden: true } : s)),
})

const mapNonEmpty = <A, B>(as: readonly [A, ...Array<A>], f: (a: A) => B): readonly [B, ...Array<B>] => [
  f(as[0]),
  ...as.slice(1).map(f),
]

/** Statuses are addressed by name (and Vambe's by position), so a scheme with a repeat cannot be addressed safely. */
export const findRepeat = (statuses: ReadonlyArray<Pick<VendorStatus, "name" | "position">>): string | undefined => {
  const names = statuses.map((s) => s.name)
  const positions = statuses.map((s) => String(s.position))
  const repeated = (values: ReadonlyArray<string>) => values.find((value, index) => values.indexOf(value) !== index)
  return repeated(names) ?? repeated(positions)
}

/** Builds a status with the usual defaults (writable, not terminal); schemes override what differs. */
export const status = (
  name: string,
  position: number,
  category: CanonicalStatus,
  flags: Partial<Pick<VendorStatus, "terminal" | "systemOnly" | "writeForbidden" | "vendorId">> = {},
): VendorStatus => ({ name, position, category, terminal: false, systemOnly: false, writeForbidden: false, ...flags })
