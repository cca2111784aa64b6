// Deterministic seeding of the Candid emulator: organizations (with demo credentials), users, billing
// providers, encounters and tasks with plausible status, type, category, assignment, note and time spreads.
import { CLINIC_NAMES, DAY_MS, fullName, npi, PAYERS } from "../framework/Fake.ts"
import { uuidOf } from "../framework/Ids.ts"
import { hash32, Rng } from "../framework/Prng.ts"
import { Table } from "../framework/Table.ts"
import { NO_CATEGORY, TASK_TYPES, type TaskStatus } from "./Enums.ts"
import { ENCOUNTER_COLUMNS, NS, type Organization, TASK_COLUMNS } from "./Model.ts"
import { categoriesFor } from "./Text.ts"

export interface SeedInput {
  readonly seed: number
  readonly size: number
  readonly organizations: number
  readonly deprecated: ReadonlyArray<TaskStatus>
  /** End of the seeded history (epoch ms); every seeded timestamp is at or before it. */
  readonly anchorMs: number
}

export interface Seeded {
  readonly orgs: Array<Organization>
  readonly tasks: Table<typeof TASK_COLUMNS>
  readonly encounters: Table<typeof ENCOUNTER_COLUMNS>
}

// Indexes follow TASK_STATUSES: finished, addressed_by_provider_group, sent_to_provider_group, open, blocked,
// waiting_for_review, in_progress.
const STATUS_WEIGHTS = [27, 2, 3, 35, 8, 10, 15]
const NOTE_COUNT_WEIGHTS = [45, 30, 15, 10]
const BLOCKING_TYPES = new Set([1, 2, 3, 4])

const hex = (n: number) => n.toString(16).padStart(8, "0")

const organization = (seed: number, index: number, deprecated: ReadonlyArray<TaskStatus>): Organization => {
  const rng = new Rng(hash32(seed, NS.org, index))
  return {
    index,
    organizationId: uuidOf(NS.org, seed, index),
    name: CLINIC_NAMES[(hash32(seed, index) + index) % CLINIC_NAMES.length] ?? "Lakeside Family Medicine",
    clientId: `sandbox_${hex(hash32(seed, NS.org, index, 1))}`,
    clientSecret: `${hex(hash32(seed, index, 2))}${hex(hash32(seed, index, 3))}${hex(hash32(seed, index, 4))}`,
    users: Array.from({ length: 8 }, (_, u) => ({ id: uuidOf(NS.user, seed, index, u), name: fullName(rng) })),
    providers: Array.from({ length: 6 }, () => ({ npi: npi(rng), name: `Dr. ${fullName(rng)}` })),
    workQueueIds: Array.from({ length: 3 }, (_, q) => uuidOf(NS.queue, seed, index, q)),
    deprecated: new Set(deprecated),
  }
}

const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000

const seedEncounters = (rng: Rng, input: SeedInput, orgs: ReadonlyArray<Organization>) => {
  const count = Math.max(1, Math.ceil(input.size / 1.6))
  const patientsPerOrg = Math.max(1, Math.ceil(count / 2.5 / orgs.length))
  const orgWeights = orgs.map((_, o) => 1 / (o + 1.5))
  const anchorDay = Math.floor(input.anchorMs / DAY_MS)
  const encounters = new Table(ENCOUNTER_COLUMNS, count)
  for (let e = 0; e < count; e++) {
    const row = encounters.add()
    const c = encounters.cols
    const org = rng.weighted(orgWeights)
    c.org[row] = org
    c.patient[row] = org + orgs.length * rng.int(patientsPerOrg)
    c.dateOfService[row] = anchorDay - rng.between(1, 365)
    c.payer[row] = rng.chance(0.08) ? -1 : rng.int(PAYERS.length)
    c.provider[row] = rng.int(orgs[org]?.providers.length ?? 1)
  }
  return encounters
}

const seedTask = (rng: Rng, input: SeedInput, seeded: Seeded, i: number) => {
  const { tasks, encounters } = seeded
  const c = tasks.cols
  const e = Math.floor((i * encounters.length) / input.size)
  const org = encounters.cols.org[e] ?? 0
  c.org[i] = org
  c.encounter[i] = e
  const type = rng.int(TASK_TYPES.length)
  c.type[i] = type
  c.category[i] = rng.chance(0.1) ? NO_CATEGORY : rng.pick(categoriesFor(type))
  c.status[i] = rng.weighted(STATUS_WEIGHTS)
  c.blocks[i] = rng.chance(BLOCKING_TYPES.has(type) ? 0.8 : 0.3) ? 1 : 0
  c.assignee[i] = rng.chance(0.6) ? rng.int(seeded.orgs[org]?.users.length ?? 1) : -1
  const anchor = input.anchorMs
  const serviceMs = (encounters.cols.dateOfService[e] ?? 0) * DAY_MS
  // Raised within 30 days of the visit, and at least an hour before the anchor (visits are >= 1 day old).
  const created = floorSecond(serviceMs + rng.int(Math.min(30 * DAY_MS, anchor - 3_600_000 - serviceMs)))
  const updated = floorSecond(created + rng.next() * (anchor - created))
  const notes = rng.weighted(NOTE_COUNT_WEIGHTS)
  const lastNote = notes === 0 ? 0 : floorSecond(created + rng.next() * (anchor - created))
  c.createdAt[i] = created
  c.updatedAt[i] = updated
  c.seededNotes[i] = notes
  c.lastSeededNoteAt[i] = lastNote
  c.aggUpdatedAt[i] = Math.max(updated, lastNote)
}

export const seed = (input: SeedInput): Seeded => {
  const rng = new Rng(input.seed)
  const orgs = Array.from({ length: Math.max(2, input.organizations) }, (_, o) =>
    organization(input.seed, o, input.deprecated),
  )
  const encounters = seedEncounters(rng, input, orgs)
  const tasks = new Table(TASK_COLUMNS, Math.ceil(input.size * 1.05) + 64)
  const seeded: Seeded = { orgs, tasks, encounters }
  for (let i = 0; i < input.size; i++) seedTask(rng, input, seeded, tasks.add())
  return seeded
}
