// The Spry state and the only functions that change it: create, update, close (FULFILLED / CANCELLED / EXPIRED, with
// what that does to the open invites), delete, and the invites the matching offers and patients answer. API routes,
// the matching, staff activity and control routes all go through here; a booked appointment is announced to listeners
// (the webhooks), so nothing can skip them.
import type { Clock } from "../framework/Clock.ts"
import { uuidOf } from "../framework/Ids.ts"
import { Organizations } from "../framework/Organizations.ts"
import { hash32, Rng } from "../framework/Prng.ts"
import { addDays, dateIn } from "./Dates.ts"
import { ACTIVE_INVITE_STATUSES, TERMINAL_STATUSES } from "./Enums.ts"
import type { Clinic, Invite, Organization, Patient, WaitlistRequest } from "./Model.ts"
import { NS } from "./Model.ts"
import { slotFor } from "./Seed.ts"

/** Fields a PATCH (or a staff edit) sets; each already validated against the clinic. */
export interface RequestChange {
  readonly preferredProviders?: ReadonlyArray<string>
  readonly preferredTimeSlots?: ReadonlyArray<string>
  readonly preferredDays?: ReadonlyArray<string>
  readonly dateRangeStart?: string
  readonly dateRangeEnd?: string
  readonly categoryId?: string
  readonly categoryLabel?: string | null
  readonly appointmentType?: string
  readonly durationMinutes?: number
  readonly paymentType?: string
  readonly priority?: number
  readonly notes?: string | null
  readonly status?: string
}

export type NewRequest = Omit<
  WaitlistRequest,
  "seq" | "id" | "createdAt" | "updatedAt" | "updatedBy" | "invites" | "waitlists" | "status"
>

/** A booked appointment (a request FULFILLED): what the `appointment.created` webhook names. */
export interface Booking {
  readonly request: WaitlistRequest
  readonly appointmentId: number
  readonly invite: Invite
}

export const isTerminal = (r: WaitlistRequest) => TERMINAL_STATUSES.includes(r.status)
export const activeInvites = (r: WaitlistRequest) => r.invites.filter((i) => ACTIVE_INVITE_STATUSES.includes(i.status))

export class SpryStore {
  readonly orgs: ReadonlyArray<Organization>
  readonly organizations: Organizations<Organization>
  readonly #byId = new Map<string, WaitlistRequest>()
  readonly #clock: Clock
  readonly #seed: number
  readonly #bookingListeners: Array<(booking: Booking) => void> = []
  #nextSeq: number
  /** Set while a matching round that was due earlier runs, so its changes carry the round's time. */
  #frozenAt: number | undefined
  #offers = 0
  #appointments = 0

  constructor(
    seeded: { orgs: ReadonlyArray<Organization>; requests: ReadonlyArray<WaitlistRequest> },
    seed: number,
    clock: Clock,
  ) {
    this.orgs = seeded.orgs
    this.organizations = new Organizations(seeded.orgs)
    for (const r of seeded.requests) this.#byId.set(r.id, r)
    this.#nextSeq = seeded.requests.length
    this.#clock = clock
    this.#seed = seed
  }

  now(): number {
    return this.#frozenAt ?? this.#clock.now()
  }

  /** Runs `change` as of `ms` (not later than now): a matching round that fell due while nobody called. */
  at<T>(ms: number, change: () => T): T {
    this.#frozenAt = Math.min(ms, this.#clock.now())
    try {
      return change()
    } finally {
      this.#frozenAt = undefined
    }
  }

  /** Every request, in creation order. */
  get requests(): ReadonlyArray<WaitlistRequest> {
    return [...this.#byId.values()]
  }

  byId(id: string): WaitlistRequest | undefined {
    return this.#byId.get(id.toLowerCase())
  }

  clinic(org: number, clinicId: string): Clinic | undefined {
    return this.orgs[org]?.clinics.find((c) => c.id === clinicId)
  }

  clinicOf(r: WaitlistRequest): Clinic {
    const found = this.clinic(r.org, r.clinicId)
    if (found === undefined) throw new Error(`request ${r.id} names no clinic of its organisation`)
    return found
  }

  patient(org: number, id: string): Patient | undefined {
    return this.orgs[org]?.patients.find((p) => p.id === id)
  }

  onBooking(listener: (booking: Booking) => void): void {
    this.#bookingListeners.push(listener)
  }

  create(input: NewRequest): WaitlistRequest {
    const now = this.now()
    const seq = this.#nextSeq++
    const r: WaitlistRequest = {
      ...input,
      seq,
      id: uuidOf(NS.created, this.#seed, seq),
      status: "ACTIVE",
      createdAt: now,
      updatedAt: now,
      updatedBy: input.createdBy,
      invites: [],
      waitlists: [],
    }
    this.#byId.set(r.id, r)
    return r
  }

  /** Applies a validated change; [I] `updated_at` moves only when a value changes. A terminal status closes it. */
  update(r: WaitlistRequest, change: RequestChange, by: string | null): boolean {
    const { status, ...fields } = change
    let changed = false
    for (const [key, value] of Object.entries(fields)) {
      const current = Reflect.get(r, key)
      if (JSON.stringify(current) !== JSON.stringify(value)) {
        Reflect.set(r, key, value)
        changed = true
      }
    }
    if (status !== undefined && status !== r.status) {
      this.#close(r, status)
      changed = true
    }
    if (changed) this.#touch(r, by)
    return changed
  }

  /** Spry's own (or a person's) closing of a request, now. */
  close(r: WaitlistRequest, status: "FULFILLED" | "CANCELLED" | "EXPIRED", by: string | null): void {
    if (status === "FULFILLED" && !r.invites.some((i) => i.status === "ACCEPTED")) {
      // A request is fulfilled by a patient taking an offered slot: make sure one was offered.
      const invite = activeInvites(r)[0] ?? this.offer(r, "READ", this.#rngFor(r))
      if (invite !== undefined) invite.status = "ACCEPTED"
    }
    this.#close(r, status)
    this.#touch(r, by)
  }

  /** Removes the request; the caller has checked that no invite is still active. */
  delete(r: WaitlistRequest): void {
    this.#byId.delete(r.id)
  }

  /** The matching offers the patient a slot within the window (from tomorrow in the clinic's zone); undefined if none. */
  offer(r: WaitlistRequest, status: string, rng: Rng): Invite | undefined {
    const clinic = this.clinicOf(r)
    const slot = slotFor(rng, r, clinic, addDays(dateIn(this.now(), clinic.timeZone), 1))
    if (slot === undefined) return undefined
    const n = this.#offers++
    const waitlistId = uuidOf(NS.waitlist, this.#seed, 1_000_000 + n)
    r.waitlists.push({
      id: waitlistId,
      providerId: slot.providerId,
      slotStart: slot.start,
      slotEnd: slot.end,
      status: "ACTIVE",
      workflowType: "BROADCAST",
    })
    const invite: Invite = {
      id: uuidOf(NS.invite, this.#seed, 1_000_000 + n),
      waitlistId,
      status,
      matchType: "EXACT",
      slotStart: slot.start,
      slotEnd: slot.end,
      sentAt: status === "PENDING" ? null : this.now(),
    }
    r.invites.push(invite)
    this.#touch(r, null)
    return invite
  }

  /** An invite moves on (sent, read, declined, expired); accepting one goes through `close(FULFILLED)`. */
  moveInvite(r: WaitlistRequest, invite: Invite, status: string): void {
    invite.status = status
    if (status === "SENT") invite.sentAt = this.now()
    if (status === "DECLINED" || status === "EXPIRED") this.#withdraw(r, invite)
    this.#touch(r, null)
  }

  /** Control only: the request reports a value the published docs do not list yet. */
  setFutureValue(r: WaitlistRequest, field: "status" | "appointmentType" | "paymentType", value: string): void {
    r[field] = value
    this.#touch(r, null)
  }

  #close(r: WaitlistRequest, status: string): void {
    r.status = status
    const accepted = r.invites.find((i) => i.status === "ACCEPTED")
    for (const invite of activeInvites(r)) {
      invite.status = "CLOSED"
      this.#withdraw(r, invite)
    }
    const slot = r.waitlists.find((w) => w.id === accepted?.waitlistId)
    if (status === "FULFILLED" && accepted !== undefined) {
      if (slot !== undefined) slot.status = "BOOKED"
      const booking = { request: r, appointmentId: 113_000 + this.#appointments++, invite: accepted }
      for (const listener of this.#bookingListeners) listener(booking)
    }
  }

  #withdraw(r: WaitlistRequest, invite: Invite): void {
    const slot = r.waitlists.find((w) => w.id === invite.waitlistId)
    if (slot !== undefined && slot.status === "ACTIVE") slot.status = "CLOSED"
  }

  #touch(r: WaitlistRequest, by: string | null): void {
    // Never backwards, even if the clock's second is the same: sort order follows every change.
    r.updatedAt = Math.max(this.now(), r.updatedAt + 1)
    r.updatedBy = by
  }

  /** A stream for one offer, so a closing that needs a slot picks the same one for the same seed. */
  #rngFor(r: WaitlistRequest): Rng {
    return new Rng(hash32(this.#seed, NS.matching, r.seq, this.#offers))
  }
}
