// `GET /apis/v1/waitlist-requests`: page / page_size (≤ 100), sort_by (incl. updated_at) / sort_dir and the documented
// filters, over what the token may see. Page-number paging on purpose: it is what Spry offers, so a concurrent write
// shifts rows between pages exactly as it would at Spry (vendor-docs §4.5), and the adapter must cope.
import { parseIsoDate } from "../framework/Fake.ts"
import { APPOINTMENT_TYPES, isOneOf, PAYMENT_TYPES, REQUEST_STATUSES, SORT_FIELDS, type SortField } from "./Enums.ts"
import { CODES, Invalid } from "./Errors.ts"
import type { WaitlistRequest } from "./Model.ts"
import type { SpryStore } from "./Store.ts"
import { requestWire } from "./Wire.ts"

/** What a token may see: its organisation's requests in its clinics, or, for a patient, only their own [D]. */
export interface Viewer {
  readonly org: number
  readonly clinicIds: ReadonlyArray<string>
  readonly patientId: string | null
}

export const visibleTo = (viewer: Viewer, r: WaitlistRequest): boolean =>
  r.org === viewer.org &&
  (viewer.patientId === null ? viewer.clinicIds.includes(r.clinicId) : r.patientId === viewer.patientId)

const int = (query: URLSearchParams, key: string, fallback: number, min: number, max: number): number => {
  const raw = query.get(key)
  if (raw === null || raw === "") return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Invalid(CODES.query, `${key}: must be an integer from ${min} to ${max}`)
  }
  return n
}

const csv = (query: URLSearchParams, key: string): Array<string> | undefined => {
  const raw = query.get(key)
  return raw === null || raw === "" ? undefined : raw.split(",").map((v) => v.trim())
}

const oneOf = <T extends string>(query: URLSearchParams, key: string, values: ReadonlyArray<T>, code: number) => {
  const raw = query.get(key)
  if (raw === null || raw === "") return undefined
  if (!isOneOf(values, raw)) throw new Invalid(code, `${key}: allowed values are ${values.join(", ")}`)
  return raw
}

const dateParam = (query: URLSearchParams, key: string) => {
  const raw = query.get(key)
  if (raw === null || raw === "") return undefined
  if (parseIsoDate(raw) === undefined) throw new Invalid(CODES.date, `${key}: must be a date YYYY-MM-DD`)
  return raw
}

const available = (r: WaitlistRequest) => r.waitlists.filter((w) => w.status === "ACTIVE").length

const sortKey: Readonly<Record<SortField, (r: WaitlistRequest) => number>> = {
  created_at: (r) => r.createdAt,
  updated_at: (r) => r.updatedAt,
  priority: (r) => r.priority,
  date_range_start: (r) => parseIsoDate(r.dateRangeStart) ?? 0,
  date_range_end: (r) => parseIsoDate(r.dateRangeEnd) ?? 0,
  // [I] The matched provider slots still on offer.
  available_slots: available,
}

/** Every filter of the list page; separate filters combine with AND [I]. */
const filters = (query: URLSearchParams, viewer: Viewer): ReadonlyArray<(r: WaitlistRequest) => boolean> => {
  const out: Array<(r: WaitlistRequest) => boolean> = []
  const clinicId = query.get("clinic_id")
  if (clinicId !== null && clinicId !== "") out.push((r) => r.clinicId === clinicId)
  // "Clinician/staff only; ignored for patient users" [D].
  const patientId = viewer.patientId === null ? query.get("patient_id") : null
  if (patientId !== null && patientId !== "") out.push((r) => r.patientId === patientId)
  const status = oneOf(query, "status", REQUEST_STATUSES, CODES.status)
  if (status !== undefined) out.push((r) => r.status === status)
  if (query.get("priority") !== null) {
    const p = int(query, "priority", 3, 1, 5)
    out.push((r) => r.priority === p)
  }
  // [I] "Filter by request start/end date": windows starting on or after start_date, ending on or before end_date.
  const start = dateParam(query, "start_date")
  if (start !== undefined) out.push((r) => r.dateRangeStart >= start)
  const end = dateParam(query, "end_date")
  if (end !== undefined) out.push((r) => r.dateRangeEnd <= end)
  const providers = csv(query, "provider_ids")
  if (providers !== undefined) out.push((r) => r.preferredProviders.some((p) => providers.includes(p)))
  const types = csv(query, "appointment_types")
  if (types !== undefined) {
    if (!types.every((t) => isOneOf(APPOINTMENT_TYPES, t))) {
      throw new Invalid(CODES.appointmentType, "Invalid appointment type")
    }
    out.push((r) => types.some((t) => t === r.appointmentType))
  }
  const categories = csv(query, "appointment_categories")
  if (categories !== undefined) out.push((r) => r.categoryLabel !== null && categories.includes(r.categoryLabel))
  const payment = oneOf(query, "payment_type", PAYMENT_TYPES, CODES.paymentType)
  if (payment !== undefined) out.push((r) => r.paymentType === payment)
  return out
}

const flag = (query: URLSearchParams, key: string): boolean => {
  const raw = query.get(key)
  if (raw === null || raw === "" || raw === "false") return false
  if (raw === "true") return true
  throw new Invalid(CODES.query, `${key}: must be true or false`)
}

export const listRequests = (store: SpryStore, viewer: Viewer, query: URLSearchParams) => {
  const page = int(query, "page", 1, 1, Number.MAX_SAFE_INTEGER)
  const pageSize = int(query, "page_size", 20, 1, 100)
  const sortBy = oneOf(query, "sort_by", SORT_FIELDS, CODES.query) ?? "created_at"
  const dir = oneOf(query, "sort_dir", ["asc", "desc"], CODES.query) ?? "desc"
  const includeWaitlists = flag(query, "include_waitlists")
  const keep = filters(query, viewer)
  const key = sortKey[sortBy]
  const sign = dir === "asc" ? 1 : -1
  // Ties keep creation order in the same direction, so pages are stable while nothing changes.
  const rows = store.requests
    .filter((r) => visibleTo(viewer, r) && keep.every((f) => f(r)))
    .sort((a, b) => sign * (key(a) - key(b) || a.seq - b.seq))
  return rows.slice((page - 1) * pageSize, page * pageSize).map((r) => requestWire(store, r, includeWaitlists))
}
