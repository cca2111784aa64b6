// Outgoing CareValidate webhooks: the registered targets (standing in for Care360's settings UI), which of them
// hear each change, a bounded delivery log and a bounded send queue; WebhookDelivery.ts sends each one.
import { uuidOf } from "../framework/Ids.ts"
import { NS } from "./Model.ts"
import { type Delivery, deliver, type Job, type Sending, settle, type Target } from "./WebhookDelivery.ts"

export type { Delivery } from "./WebhookDelivery.ts"

export interface WebhookSettings {
  readonly seed: number
  /** The sandbox clock, so delivery times read like every other vendor timestamp. */
  readonly now: () => number
  readonly timeoutMs: number
  readonly retryDelayMs: number
}

export interface NewTarget {
  readonly url: string
  readonly secret?: string | undefined
  /** Only this organization's events; undefined means every organization's. */
  readonly organizationId?: string | undefined
  /** Only these events; undefined means all of them. */
  readonly events?: ReadonlyArray<string> | undefined
}

/** A target as the control API shows it: the secret itself is never echoed back. */
export const targetView = ({ secret, ...target }: Target) => ({ ...target, hasSecret: secret !== null })
export type TargetView = ReturnType<typeof targetView>

export interface Announcement {
  readonly event: string
  readonly organizationId: string
  readonly caseId: string
  readonly escalationId: string
}

/** Log size, and how much may wait or be in flight, so fast staff activity cannot pile up sockets or memory. */
const LOG_CAPACITY = 500
const MAX_IN_FLIGHT = 8
const MAX_QUEUED = 1000

export class Webhooks {
  readonly #settings: WebhookSettings
  readonly #targets = new Map<string, Target>()
  readonly #closing = new AbortController()
  #deliveries: Array<Delivery> = []
  #queue: Array<Job> = []
  #inFlight = 0
  #nextTarget = 1
  #nextSeq = 1
  #nextEvent = 0
  readonly #sending: Sending

  constructor(settings: WebhookSettings) {
    this.#settings = settings
    this.#sending = { ...settings, closing: this.#closing.signal, isRegistered: (id: string) => this.#targets.has(id) }
  }

  register(input: NewTarget): TargetView {
    const target: Target = {
      id: `wh_${this.#nextTarget++}`,
      url: input.url,
      secret: input.secret ?? null,
      organizationId: input.organizationId ?? null,
      events: input.events ?? null,
      createdAt: new Date(this.#settings.now()).toISOString(),
      badSignature: false,
    }
    this.#targets.set(target.id, target)
    return targetView(target)
  }

  list(): Array<TargetView> {
    return [...this.#targets.values()].map(targetView)
  }

  remove(id: string): boolean {
    return this.#targets.delete(id)
  }

  setBadSignature(id: string, enabled: boolean): TargetView | undefined {
    const target = this.#targets.get(id)
    if (target !== undefined) target.badSignature = enabled
    return target === undefined ? undefined : targetView(target)
  }

  /** Oldest first; pending entries change in place as attempts finish. */
  deliveries(targetId?: string): ReadonlyArray<Delivery> {
    return targetId === undefined ? this.#deliveries : this.#deliveries.filter((d) => d.targetId === targetId)
  }

  /** Queues one delivery per interested target; `body` runs only if some target wants the event. */
  publish(what: Announcement, body: (eventId: string) => string): void {
    if (this.#closing.signal.aborted) return
    const targets = [...this.#targets.values()].filter(
      (t) =>
        (t.organizationId === null || t.organizationId === what.organizationId) &&
        (t.events === null || t.events.includes(what.event)),
    )
    if (targets.length === 0) return
    const eventId = uuidOf(NS.webhookEvent, this.#settings.seed, this.#nextEvent++)
    // Built now, not at send time: the payload is the case as it was when the change happened.
    const text = body(eventId)
    const { organizationId: _, ...fields } = what
    for (const target of targets) {
      const delivery: Delivery = {
        seq: this.#nextSeq++,
        targetId: target.id,
        ...fields,
        eventId,
        state: "pending",
        status: null,
        error: null,
        attempts: [],
      }
      this.#deliveries.push(delivery)
      if (this.#deliveries.length > LOG_CAPACITY) this.#deliveries.shift()
      if (this.#queue.length >= MAX_QUEUED) settle(delivery, "failed", "dropped: delivery queue full")
      else this.#queue.push({ target, delivery, body: text })
    }
    this.#pump()
  }

  /** Aborts in-flight POSTs and pending retries and drops the queue; called on reset and close. */
  dispose(): void {
    this.#closing.abort()
    for (const job of this.#queue) settle(job.delivery, "failed", "emulator closed")
    this.#queue = []
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && !this.#closing.signal.aborted) {
      const job = this.#queue.shift()
      if (job === undefined) return
      this.#inFlight++
      // deliver never rejects, so this cannot become an unhandled rejection that kills the emulator.
      void deliver(job, this.#sending).finally(() => {
        this.#inFlight--
        this.#pump()
      })
    }
  }
}
