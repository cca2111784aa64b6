// Deterministic seeding of the CareValidate emulator: organizations with their cv-api-key, CVTPA agents and
// providers, and `size` cases spread over 120 days, each with a few escalations (some completed, most assigned).
import { DAY_MS, FIRST_NAMES, LAST_NAMES } from "../framework/Fake.ts"
import { uuidOf } from "../framework/Ids.ts"
import { hash32, Rng } from "../framework/Prng.ts"
import { deterministicSecret } from "../framework/Secrets.ts"
import {
  CASE_STATUSES,
  type Case,
  ESCALATION_TYPES,
  type Escalation,
  NS,
  type Organization,
  type User,
} from "./Model.ts"
import { ARCHIVE_REASONS, NOTES, ORG_NAMES, PRODUCTS, TITLES } from "./Text.ts"

export interface SeedInput {
  readonly seed: number
  readonly size: number
  readonly organizations: number
  /** End of the seeded history (epoch ms); every seeded timestamp is at or before it. */
  readonly anchorMs: number
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z]+/g, "")
const HISTORY_DAYS = 120
// Weights follow CASE_STATUSES: OPEN, ASSIGNED, IN_PROGRESS, APPROVED, REJECTED, NO_DECISION, ABANDONED.
const STATUS_WEIGHTS = [15, 20, 20, 30, 6, 4, 5]

const user = (rng: Rng, seed: number, org: number, u: number, domain: string, role: User["role"]): User => {
  const firstName = rng.pick(FIRST_NAMES)
  const lastName = rng.pick(LAST_NAMES)
  const email = `${firstName}.${lastName}${u}@${domain}`.toLowerCase()
  return { id: uuidOf(NS.user, seed, org, u), email, firstName, lastName, role }
}

const organization = (seed: number, index: number): Organization => {
  const rng = new Rng(hash32(seed, NS.org, index))
  const name = ORG_NAMES[(hash32(seed) + index) % ORG_NAMES.length] ?? "Evergreen Weight Health"
  const domain = `${slug(name)}.example.com`
  // [I] CVTPA agents work for CareValidate's TPA team, so their emails sit on the TPA domain.
  const agents = Array.from({ length: 6 }, (_, u) => user(rng, seed, index, u, "cvtpa.example.com", "CVTPA"))
  const providers = Array.from({ length: 3 }, (_, u) => user(rng, seed, index, 6 + u, domain, "PROVIDER"))
  return {
    index,
    organizationId: uuidOf(NS.org, seed, index),
    name,
    apiKey: deterministicSecret("cv_sbx_", NS.org, seed, index),
    users: [...agents, ...providers],
  }
}

const escalation = (rng: Rng, seed: number, c: number, k: number, org: Organization, from: number, to: number) => {
  const type = ESCALATION_TYPES[rng.weighted([75, 18, 7])] ?? "support"
  const createdAt = rng.between(from, to)
  const updatedAt = rng.chance(0.6) ? rng.between(createdAt, to) : createdAt
  const agents = org.users.filter((u) => u.role === "CVTPA")
  const result: Escalation = {
    id: uuidOf(NS.escalation, seed, c, k),
    type,
    title: rng.pick(TITLES[type]),
    note: rng.chance(0.7) ? rng.pick(NOTES) : null,
    followUpDueAt: rng.chance(0.5) ? Math.floor((createdAt + rng.between(1, 7) * DAY_MS) / 60_000) * 60_000 : null,
    assignedToUserId: rng.chance(0.7) ? rng.pick(agents).id : null,
    isCompleted: rng.chance(0.35),
    createdAt,
    updatedAt,
  }
  return result
}

export const seedCase = (rng: Rng, seed: number, c: number, orgs: ReadonlyArray<Organization>, anchorMs: number) => {
  const org = orgs[rng.weighted(orgs.map((_, o) => 1 / (o + 1.5)))] ?? orgs[0]
  if (org === undefined) throw new Error("no organizations")
  const createdAt = anchorMs - rng.int(HISTORY_DAYS * DAY_MS)
  const status = CASE_STATUSES[rng.weighted(STATUS_WEIGHTS)] ?? "OPEN"
  const isArchived = (status === "APPROVED" || status === "REJECTED") && rng.chance(0.3)
  const escalations = Array.from({ length: rng.weighted([30, 30, 25, 15]) }, (_, k) =>
    escalation(rng, seed, c, k, org, createdAt, anchorMs),
  )
  // An archived case has nothing left open.
  if (isArchived) for (const e of escalations) e.isCompleted = true
  const firstName = rng.pick(FIRST_NAMES)
  const lastName = rng.pick(LAST_NAMES)
  const agents = org.users.filter((u) => u.role === "CVTPA")
  const result: Case = {
    seq: c,
    id: uuidOf(NS.case, seed, c),
    org: org.index,
    status,
    isArchived,
    closedAt: isArchived ? rng.between(createdAt, anchorMs) : null,
    archiveReason: isArchived ? rng.pick(ARCHIVE_REASONS) : null,
    productName: rng.pick(PRODUCTS),
    assignedToUserId: status === "OPEN" ? null : rng.pick(agents).id,
    patient: {
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${c}@patient.example.com`.toLowerCase(),
      dateOfBirth: `19${rng.between(50, 99)}-${String(rng.between(1, 12)).padStart(2, "0")}-15`,
    },
    createdAt,
    updatedAt: Math.max(createdAt, ...escalations.map((e) => e.updatedAt)),
    escalations,
  }
  return result
}

export const seed = (input: SeedInput) => {
  const orgs = Array.from({ length: Math.max(2, input.organizations) }, (_, o) => organization(input.seed, o))
  const rng = new Rng(hash32(input.seed, NS.case))
  const cases = Array.from({ length: input.size }, (_, c) => seedCase(rng, input.seed, c, orgs, input.anchorMs))
  return { orgs, cases }
}
