// Deterministic seeding of the Spry emulator: organisations with their OAuth clients (staff for every clinic, a front
// desk for one clinic, a patient), clinics in different US zones with providers and categories, patients, and `size`
// waitlist requests created over the 60 days before the anchor, spread realistically over statuses, with the invites
// and provider slots the matching had offered by then.
import { DAY_MS, FIRST_NAMES, LAST_NAMES } from "../framework/Fake.ts"
import { uuidOf } from "../framework/Ids.ts"
import { hash32, Rng } from "../framework/Prng.ts"
import { deterministicSecret } from "../framework/Secrets.ts"
import { addDays, dateIn, localInstant, SLOT_HOURS } from "./Dates.ts"
import { PAYMENT_TYPES, TIME_SLOTS, WEEKDAYS } from "./Enums.ts"
import { type Client, type Clinic, type Invite, NS, type Organization, type WaitlistRequest } from "./Model.ts"
import { CATEGORIES, CLINIC_SITES, NOTES, PRACTICE_NAMES, TIME_ZONES } from "./Text.ts"

export interface SeedInput {
  readonly seed: number
  readonly size: number
  readonly organizations: number
  /** End of the seeded history (epoch ms); every seeded timestamp is at or before it. */
  readonly anchorMs: number
}

const HISTORY_DAYS = 60
const PRIORITY_WEIGHTS = [5, 15, 50, 20, 10]

/** A Fisher–Yates shuffle driven by the seeded stream. */
const shuffled = <T>(rng: Rng, items: ReadonlyArray<T>): Array<T> => {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const a = out[i] as T
    out[i] = out[j] as T
    out[j] = a
  }
  return out
}

const person = (rng: Rng) => ({ firstName: rng.pick(FIRST_NAMES), lastName: rng.pick(LAST_NAMES) })

const clinic = (rng: Rng, org: number, c: number): Clinic => {
  const base = 40 + org * 10 + c
  const categories = shuffled(rng, CATEGORIES)
    .slice(0, 4)
    .map((category, k) => ({ ...category, id: String(2050 + org * 100 + c * 10 + k) }))
  return {
    id: String(base),
    name: `${CLINIC_SITES[(org + c) % CLINIC_SITES.length] ?? "Main"} Clinic`,
    timeZone: TIME_ZONES[(org * 2 + c) % TIME_ZONES.length] ?? "America/New_York",
    providers: Array.from({ length: 4 + rng.int(2) }, (_, p) => ({
      id: String(27000 + base * 10 + p),
      ...person(rng),
    })),
    categories,
  }
}

const client = (seed: number, org: number, k: number, fields: Omit<Client, "clientId" | "clientSecret" | "org">) => ({
  clientId: deterministicSecret("spry_client_", NS.client, seed, org, k),
  clientSecret: deterministicSecret("spry_secret_", NS.client, seed, org, k, 1),
  org,
  ...fields,
})

const organization = (seed: number, index: number): Organization => {
  const rng = new Rng(hash32(seed, NS.org, index))
  const name = PRACTICE_NAMES[(hash32(seed) + index) % PRACTICE_NAMES.length] ?? "Northwind Physical Therapy"
  const clinics = Array.from({ length: 2 + (index === 0 ? 1 : 0) }, (_, c) => clinic(rng, index, c))
  const patients = Array.from({ length: 60 }, (_, n) => ({ id: String(45000 + index * 1000 + n), ...person(rng) }))
  const numericId = 74 + index * 13
  const clinicIds = clinics.map((c) => c.id)
  const staff = person(rng)
  const desk = person(rng)
  const first = patients[0]
  return {
    index,
    organizationId: String(numericId),
    numericId,
    name,
    clinics,
    patients,
    clients: [
      // What an integration uses: an admin/clinician login for every clinic (vendor-docs §4.2 shows ADMIN + DOCTOR).
      client(seed, index, 0, {
        userId: 276 + index * 10,
        name: `${staff.firstName} ${staff.lastName}`,
        roles: ["ADMIN", "DOCTOR"],
        clinicIds,
        patientId: null,
        scopes: ["read", "write"],
      }),
      // [I] A front-desk login limited to one clinic: requests of the other clinics answer 403.
      client(seed, index, 1, {
        userId: 277 + index * 10,
        name: `${desk.firstName} ${desk.lastName}`,
        roles: ["FRONT_DESK"],
        clinicIds: clinicIds.slice(0, 1),
        patientId: null,
        scopes: ["read", "write"],
      }),
      // A patient (USER role): sees only their own requests [D].
      client(seed, index, 2, {
        userId: 278 + index * 10,
        name: `${first?.firstName ?? "Pat"} ${first?.lastName ?? "Doe"}`,
        roles: ["USER"],
        clinicIds,
        patientId: first?.id ?? null,
        scopes: ["read", "write"],
      }),
    ],
  }
}

/** Up to `max` distinct items of `from`, in their original order. */
const some = <T>(rng: Rng, from: ReadonlyArray<T>, max: number): Array<T> => {
  const wanted = rng.int(max + 1)
  return from.filter(() => rng.chance(wanted / Math.max(1, from.length)))
}

/** A slot for the request on a day of its window at or after `fromDate`, honouring its preferences. */
export const slotFor = (rng: Rng, r: WaitlistRequest, c: Clinic, fromDate: string) => {
  const first = r.dateRangeStart > fromDate ? r.dateRangeStart : fromDate
  if (first > r.dateRangeEnd) return undefined
  const span = Math.round((Date.parse(r.dateRangeEnd) - Date.parse(first)) / DAY_MS)
  const date = addDays(first, rng.int(span + 1))
  const slot = r.preferredTimeSlots.length === 0 ? "ANYTIME" : rng.pick(r.preferredTimeSlots)
  const hour = rng.pick(SLOT_HOURS[slot] ?? SLOT_HOURS.ANYTIME ?? [9])
  const providerId = r.preferredProviders.length === 0 ? rng.pick(c.providers).id : rng.pick(r.preferredProviders)
  const start = localInstant(date, hour, c.timeZone)
  return { providerId, start, end: start + r.durationMinutes * 60_000 }
}

const offer = (rng: Rng, seed: number, r: WaitlistRequest, c: Clinic, status: string, fromDate: string, at: number) => {
  const slot = slotFor(rng, r, c, fromDate)
  if (slot === undefined) return
  const k = r.invites.length
  const waitlistId = uuidOf(NS.waitlist, seed, r.seq, k)
  r.waitlists.push({
    id: waitlistId,
    providerId: slot.providerId,
    slotStart: slot.start,
    slotEnd: slot.end,
    status: status === "ACCEPTED" ? "BOOKED" : "ACTIVE",
    workflowType: "BROADCAST",
  })
  const invite: Invite = {
    id: uuidOf(NS.invite, seed, r.seq, k),
    waitlistId,
    status,
    matchType: "EXACT",
    slotStart: slot.start,
    slotEnd: slot.end,
    sentAt: status === "PENDING" ? null : at,
  }
  r.invites.push(invite)
}

export const seedRequest = (rng: Rng, seed: number, seq: number, orgs: ReadonlyArray<Organization>, anchor: number) => {
  const org = orgs[rng.weighted(orgs.map((_, o) => 1 / (o + 1.2)))] ?? orgs[0]
  if (org === undefined) throw new Error("no organisations")
  const c = rng.pick(org.clinics)
  const category = rng.pick(c.categories)
  const createdAt = anchor - 1 - rng.int(HISTORY_DAYS * DAY_MS)
  const today = dateIn(anchor, c.timeZone)
  const dateRangeStart = addDays(dateIn(createdAt, c.timeZone), rng.int(8))
  const dateRangeEnd = addDays(dateRangeStart, 14 + rng.int(47))
  // A window that ended before today can only have closed; an open one is mostly still waiting.
  const ended = dateRangeEnd < addDays(today, 1)
  const status = ended
    ? (["EXPIRED", "FULFILLED", "CANCELLED"][rng.weighted([45, 35, 20])] ?? "EXPIRED")
    : (["ACTIVE", "FULFILLED", "CANCELLED"][rng.weighted([60, 22, 18])] ?? "ACTIVE")
  const staff = org.clients[0]
  const updatedAt = status === "ACTIVE" && rng.chance(0.5) ? createdAt : rng.between(createdAt, anchor - 1)
  const request: WaitlistRequest = {
    seq,
    id: uuidOf(NS.request, seed, seq),
    org: org.index,
    clinicId: c.id,
    patientId: rng.pick(org.patients).id,
    preferredProviders: some(rng, c.providers, 2).map((p) => p.id),
    preferredTimeSlots: some(rng, TIME_SLOTS, 2),
    preferredDays: some(rng, WEEKDAYS, 3),
    dateRangeStart,
    dateRangeEnd,
    categoryId: category.id,
    categoryLabel: category.label,
    appointmentType: category.type,
    durationMinutes: category.durationMinutes,
    paymentType: PAYMENT_TYPES[rng.weighted([30, 70])] ?? "INSURANCE_PAY",
    priority: 1 + rng.weighted(PRIORITY_WEIGHTS),
    status,
    notes: rng.chance(0.7) ? rng.pick(NOTES) : null,
    createdAt,
    updatedAt,
    createdBy: staff === undefined ? null : String(staff.userId),
    // Spry's own matching closes FULFILLED and EXPIRED requests; people cancel.
    updatedBy:
      status === "FULFILLED" || status === "EXPIRED" ? null : staff === undefined ? null : String(staff.userId),
    invites: [],
    waitlists: [],
  }
  if (status === "FULFILLED") offer(rng, seed, request, c, "ACCEPTED", dateRangeStart, updatedAt)
  if (status === "ACTIVE" && rng.chance(0.4)) {
    const state = ["PENDING", "SENT", "READ"][rng.weighted([30, 40, 30])] ?? "SENT"
    offer(rng, seed, request, c, state, addDays(today, 1), updatedAt)
  }
  return request
}

export const seed = (input: SeedInput) => {
  const orgs = Array.from({ length: Math.max(2, input.organizations) }, (_, o) => organization(input.seed, o))
  const rng = new Rng(hash32(input.seed, NS.request))
  const requests = Array.from({ length: input.size }, (_, seq) =>
    seedRequest(rng, input.seed, seq, orgs, input.anchorMs),
  )
  return { orgs, requests }
}
