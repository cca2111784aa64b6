// Spry's own matching, simulated: every `intervalMs` of sandbox time one round runs over the ACTIVE requests — a
// request whose window has ended (in its clinic's zone) EXPIRES; an offered invite is sent, read, accepted (the request
// is FULFILLED), declined, or expires with its slot; a request with nothing on offer may be offered a slot. Rounds run
// lazily, before any request is served, for every interval that has passed, each at its own time, so advancing the
// clock by a day runs that day's rounds and a test never sleeps. Deterministic: round `n` draws from (seed, n).
import { hash32, Rng } from "../framework/Prng.ts"
import { dateIn } from "./Dates.ts"
import type { WaitlistRequest } from "./Model.ts"
import { NS } from "./Model.ts"
import { activeInvites, type SpryStore } from "./Store.ts"

export interface MatchingChange {
  readonly id: string
  readonly change: "expired" | "offered" | "sent" | "read" | "fulfilled" | "declined" | "slot-passed"
}

/** What happens to one active invite in a round [I: Spry documents none of these rates]. */
const progress = (store: SpryStore, rng: Rng, r: WaitlistRequest, at: number): MatchingChange | undefined => {
  const [invite] = activeInvites(r)
  if (invite === undefined) {
    if (!rng.chance(0.1)) return undefined
    return store.offer(r, "PENDING", rng) === undefined ? undefined : { id: r.id, change: "offered" }
  }
  if (invite.slotStart <= at) {
    store.moveInvite(r, invite, "EXPIRED")
    return { id: r.id, change: "slot-passed" }
  }
  if (invite.status === "PENDING") {
    store.moveInvite(r, invite, "SENT")
    return { id: r.id, change: "sent" }
  }
  if (invite.status === "SENT") {
    if (!rng.chance(0.5)) return undefined
    store.moveInvite(r, invite, "READ")
    return { id: r.id, change: "read" }
  }
  const roll = rng.next()
  if (roll < 0.3) {
    store.close(r, "FULFILLED", null)
    return { id: r.id, change: "fulfilled" }
  }
  if (roll < 0.45) {
    store.moveInvite(r, invite, "DECLINED")
    return { id: r.id, change: "declined" }
  }
  return undefined
}

/** One round over every ACTIVE request, at the store's current time. */
export const matchingRound = (store: SpryStore, seed: number, round: number): Array<MatchingChange> => {
  const at = store.now()
  const rng = new Rng(hash32(seed, NS.matching, round))
  const changes: Array<MatchingChange> = []
  for (const r of store.requests) {
    if (r.status !== "ACTIVE") continue
    // The window is over once its last day has passed in the clinic's zone.
    if (r.dateRangeEnd < dateIn(at, store.clinicOf(r).timeZone)) {
      store.close(r, "EXPIRED", null)
      changes.push({ id: r.id, change: "expired" })
      continue
    }
    const moved = progress(store, rng, r, at)
    if (moved !== undefined) changes.push(moved)
  }
  return changes
}

/** Runs the rounds that are due by the sandbox clock; the store reads each round's own time while it runs. */
export class Matching {
  readonly intervalMs: number | null
  readonly #store: SpryStore
  readonly #seed: number
  #next: number
  #rounds = 0

  constructor(store: SpryStore, seed: number, intervalMs: number | null, startedAt: number) {
    this.intervalMs = intervalMs
    this.#store = store
    this.#seed = seed
    this.#next = intervalMs === null ? Number.POSITIVE_INFINITY : startedAt + intervalMs
  }

  get roundsRun(): number {
    return this.#rounds
  }

  get nextRoundAt(): number | null {
    return Number.isFinite(this.#next) ? this.#next : null
  }

  /** Every round due by the sandbox clock, each stamped with its own time (so timestamps never run backwards). */
  catchUp(): Array<MatchingChange> {
    const changes: Array<MatchingChange> = []
    const now = this.#store.now()
    while (this.#next <= now && this.intervalMs !== null) {
      const round = this.#rounds++
      changes.push(...this.#store.at(this.#next, () => matchingRound(this.#store, this.#seed, round)))
      this.#next += this.intervalMs
    }
    return changes
  }

  /** Control: `count` rounds now, whatever the interval says. */
  runNow(count: number): Array<MatchingChange> {
    const changes: Array<MatchingChange> = []
    for (let i = 0; i < count; i++) changes.push(...matchingRound(this.#store, this.#seed, this.#rounds++))
    return changes
  }
}
