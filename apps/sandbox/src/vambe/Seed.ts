// Deterministic seeding of the Vambe emulator: organizations with their x-api-key, status configuration and team,
// and `size` tasks shared among them (the first organization is the largest): due dates around the anchor (some
// all-day, some timed in the organization's zone, some without a date), priorities, responsibles and contacts.
import { DAY_MS } from "../framework/Fake.ts"
import { uuidOf } from "../framework/Ids.ts"
import { hash32, Rng } from "../framework/Prng.ts"
import { deterministicSecret } from "../framework/Secrets.ts"
import { NS, type Organization, type Priority, type Task, type TeamMember } from "./Model.ts"
import { DESCRIPTIONS, FIRST_NAMES, LAST_NAMES, ORG_NAMES, STATUS_SETS, TITLES } from "./Text.ts"
import { wallToUtc } from "./Zone.ts"

export interface SeedInput {
  readonly seed: number
  readonly size: number
  readonly organizations: number
  /** Each organization's share of `size`, by weight; default the first holds half, the rest share the other half. */
  readonly shares?: ReadonlyArray<number> | undefined
  readonly anchorMs: number
}

const slug = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, "")

const member = (rng: Rng, seed: number, org: number, m: number, domain: string): TeamMember => {
  const first = rng.pick(FIRST_NAMES)
  const last = rng.pick(LAST_NAMES)
  return {
    id: uuidOf(NS.member, seed, org, m),
    name: `${first} ${last}`,
    first_name: first,
    last_name: last,
    email: `${slug(first)}.${slug(last)}${m}@${domain}`,
    // [I] Profiles without a phone exist; the docs list the field without saying it may be empty.
    phone: rng.chance(0.8) ? `+569${rng.between(10_000_000, 99_999_999)}` : null,
  }
}

export const organization = (seed: number, index: number): Organization => {
  const rng = new Rng(hash32(seed, NS.org, index))
  const place = ORG_NAMES[(hash32(seed) + index) % ORG_NAMES.length] ?? { name: "Vambe Demo", timezone: "UTC" }
  const domain = `${slug(place.name).slice(0, 24)}.example.cl`
  const set = STATUS_SETS[index % STATUS_SETS.length] ?? []
  return {
    index,
    organizationId: uuidOf(NS.org, seed, index),
    name: place.name,
    apiKey: deterministicSecret("vmb_sbx_", NS.org, seed, index),
    timezone: place.timezone,
    statuses: set.map((s, order) => ({ id: uuidOf(NS.status, seed, index, order), ...s, order })),
    members: Array.from({ length: 6 }, (_, m) => member(rng, seed, index, m, domain)),
  }
}

const sharesOf = (input: SeedInput): Array<number> => {
  const weights = input.shares ?? [input.organizations, ...Array(input.organizations - 1).fill(1)]
  const total = weights.reduce((a, b) => a + b, 0)
  const counts = weights.map((w) => Math.floor((input.size * w) / total))
  counts[0] = (counts[0] ?? 0) + input.size - counts.reduce((a, b) => a + b, 0)
  return counts
}

const STATUS_WEIGHTS: Readonly<Record<string, number>> = { initial: 40, in_progress: 30, done: 22, master_done: 8 }

const task = (rng: Rng, seed: number, n: number, org: Organization, anchorMs: number): Task => {
  const anchorDay = Math.floor(anchorMs / DAY_MS)
  const createdAt = anchorMs - rng.between(1, 150 * DAY_MS)
  const dated = rng.chance(0.88)
  const day = new Date((anchorDay + rng.between(-120, 60)) * DAY_MS).toISOString().slice(0, 10)
  const allDay = rng.chance(0.35)
  const time = `${String(rng.between(8, 19)).padStart(2, "0")}:${rng.pick(["00", "15", "30", "45"])}`
  const status = org.statuses[rng.weighted(org.statuses.map((s) => STATUS_WEIGHTS[s.type] ?? 1))] ?? org.statuses[0]
  const count = rng.weighted([5, 80, 15])
  const responsibles = [...new Set(Array.from({ length: count }, () => rng.pick(org.members).id))]
  return {
    id: uuidOf(NS.task, seed, n),
    org: org.index,
    title: rng.pick(TITLES),
    description: rng.pick(DESCRIPTIONS),
    dueAt: !dated ? null : allDay ? Date.parse(`${day}T00:00:00Z`) : wallToUtc(day, time, org.timezone),
    dueTimezone: dated ? org.timezone : null,
    isAllDay: dated && allDay,
    createdAt,
    aiContactId: rng.chance(0.6) ? uuidOf(NS.contact, seed, n) : null,
    aiCustomerId: rng.chance(0.3) ? uuidOf(NS.customer, seed, n) : null,
    statusId: status?.id ?? "",
    priority: rng.weighted([30, 50, 20]) as Priority,
    creatorId: rng.pick(org.members).id,
    responsibles,
    deletedAt: null,
  }
}

export const seed = (input: SeedInput) => {
  const orgs = Array.from({ length: Math.max(2, input.organizations) }, (_, i) => organization(input.seed, i))
  const counts = sharesOf({ ...input, organizations: orgs.length })
  const rng = new Rng(hash32(input.seed, NS.task))
  const tasks: Array<Task> = []
  orgs.forEach((org, i) => {
    for (let k = 0; k < (counts[i] ?? 0); k++) tasks.push(task(rng, input.seed, tasks.length, org, input.anchorMs))
  })
  return { orgs, tasks }
}
