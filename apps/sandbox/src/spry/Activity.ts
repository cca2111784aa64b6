// Spry-side activity: what clinic staff and patients do to waitlist requests — a front desk edits the notes, priority
// or preferences, cancels a request or adds one; the matching offers a slot; a patient answers an invite (reading,
// declining or accepting it, which FULFILLS the request). Applied through the store's mutation functions only, after
// the matching rounds that fell due, so every event moves the request's `updated_at`.
import type { ActivityEvent } from "../framework/Emulator.ts"
import { isoSeconds } from "../framework/Fake.ts"
import type { Rng } from "../framework/Prng.ts"
import { addDays, dateIn } from "./Dates.ts"
import { TIME_SLOTS, WEEKDAYS } from "./Enums.ts"
import type { WaitlistRequest } from "./Model.ts"
import type { SpryState } from "./State.ts"
import { activeInvites, type RequestChange, type SpryStore } from "./Store.ts"
import { NOTES } from "./Text.ts"

export const SPRY_ACTIVITY_KINDS = ["edit", "invite", "respond", "cancel", "create"] as const
const WEIGHTS: Readonly<Record<string, number>> = { edit: 35, invite: 20, respond: 20, cancel: 10, create: 15 }

const staffOf = (store: SpryStore, r: WaitlistRequest) => String(store.orgs[r.org]?.clients[0]?.userId ?? "")

const event = (kind: string, r: WaitlistRequest, detail: Readonly<Record<string, unknown>>): ActivityEvent => ({
  kind,
  id: r.id,
  at: isoSeconds(r.updatedAt),
  detail,
})

const edits: ReadonlyArray<(rng: Rng, r: WaitlistRequest) => RequestChange> = [
  (rng, r) => ({ notes: rng.pick(NOTES.filter((n) => n !== r.notes)) }),
  (rng, r) => ({ priority: rng.pick([1, 2, 3, 4, 5].filter((p) => p !== r.priority)) }),
  (rng) => ({ preferredDays: WEEKDAYS.filter(() => rng.chance(0.4)) }),
  (rng) => ({ preferredTimeSlots: [rng.pick(TIME_SLOTS)] }),
]

const edit = (store: SpryStore, rng: Rng, r: WaitlistRequest) => {
  const change = rng.pick(edits)(rng, r)
  return store.update(r, change, staffOf(store, r)) ? event("edit", r, { ...change }) : undefined
}

const invite = (store: SpryStore, rng: Rng, r: WaitlistRequest) => {
  if (activeInvites(r).length > 0) return undefined
  const offered = store.offer(r, "PENDING", rng)
  return offered === undefined ? undefined : event("invite", r, { inviteId: offered.id })
}

const respond = (store: SpryStore, rng: Rng, r: WaitlistRequest) => {
  const [open] = activeInvites(r)
  if (open === undefined) return undefined
  if (open.status === "PENDING" || open.status === "SENT") {
    store.moveInvite(r, open, open.status === "PENDING" ? "SENT" : "READ")
    return event("respond", r, { inviteId: open.id, invite: open.status })
  }
  if (rng.chance(0.5)) {
    store.close(r, "FULFILLED", null)
    return event("respond", r, { inviteId: open.id, status: r.status })
  }
  store.moveInvite(r, open, "DECLINED")
  return event("respond", r, { inviteId: open.id, invite: "DECLINED" })
}

/** A front desk adds a request (for the target's patient and clinic when one is named). */
const create = (store: SpryStore, rng: Rng, like: WaitlistRequest | undefined): ActivityEvent => {
  const org = store.orgs[like?.org ?? rng.int(store.orgs.length)] ?? store.orgs[0]
  if (org === undefined) throw new Error("no organisations")
  const clinic = (like === undefined ? undefined : store.clinic(org.index, like.clinicId)) ?? rng.pick(org.clinics)
  const category = rng.pick(clinic.categories)
  const start = addDays(dateIn(store.now(), clinic.timeZone), rng.int(5))
  const r = store.create({
    org: org.index,
    clinicId: clinic.id,
    patientId: like?.patientId ?? rng.pick(org.patients).id,
    preferredProviders: rng.chance(0.4) ? [rng.pick(clinic.providers).id] : [],
    preferredTimeSlots: rng.chance(0.6) ? [rng.pick(TIME_SLOTS)] : [],
    preferredDays: WEEKDAYS.filter(() => rng.chance(0.3)),
    dateRangeStart: start,
    dateRangeEnd: addDays(start, 14 + rng.int(30)),
    categoryId: category.id,
    categoryLabel: category.label,
    appointmentType: category.type,
    durationMinutes: category.durationMinutes,
    paymentType: rng.chance(0.7) ? "INSURANCE_PAY" : "SELF_PAY",
    priority: 1 + rng.weighted([5, 15, 50, 20, 10]),
    notes: rng.chance(0.6) ? rng.pick(NOTES) : null,
    createdBy: String(org.clients[0]?.userId ?? ""),
  })
  return event("create", r, { clinicId: clinic.id })
}

/** `target` (a request id) is edited when given; undefined when there is nothing to do to it (it is closed). */
export const spryActivity = (
  state: SpryState,
  rng: Rng,
  kinds: ReadonlyArray<string>,
  target: string | undefined,
): ActivityEvent | undefined => {
  const { store } = state
  state.matching.catchUp()
  const kind = kinds[rng.weighted(kinds.map((k) => WEIGHTS[k] ?? 0))] ?? "edit"
  const named = target === undefined ? undefined : store.byId(target)
  if (target !== undefined && named === undefined) throw new TypeError(`no waitlist request ${target}`)
  if (kind === "create") return create(store, rng, named)
  const candidates = store.requests.filter(
    (r) => r.status === "ACTIVE" && (kind !== "respond" || activeInvites(r).length > 0),
  )
  const r = named ?? (candidates.length === 0 ? undefined : rng.pick(candidates))
  if (r === undefined || r.status !== "ACTIVE") return undefined
  switch (kind) {
    case "invite":
      return invite(store, rng, r)
    case "respond":
      return respond(store, rng, r)
    case "cancel":
      store.close(r, "CANCELLED", staffOf(store, r))
      return event("cancel", r, { status: "CANCELLED" })
    default:
      return edit(store, rng, r)
  }
}
