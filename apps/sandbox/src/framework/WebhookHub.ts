// Outgoing webhooks for any emulator: its subscriptions, which of them hear each event, a bounded delivery log
// and a bounded send queue (WebhookDelivery.ts sends each one, signed by the emulator's SignatureScheme). It
// lives and dies with the state: the state's lifetime signal aborts sends, retries and the queue.
import type { Clock } from "./Clock.ts"
import { uuidOf } from "./Ids.ts"
import { type DeliveryCore, deliver, type Job, type RetryPolicy, type Sending, settle } from "./WebhookDelivery.ts"
import type { SignatureScheme } from "./WebhookSignatures.ts"
import { type Subscription, type SubscriptionSettings, WebhookSubscriptions } from "./WebhookSubscriptions.ts"

/** A delivery as the log shows it: the core fields plus the vendor's subject ids (caseId, escalationId, …). */
export type Delivery<Subject> = DeliveryCore & Readonly<Subject>

export interface HubSettings<Subject> {
  readonly seed: number
  readonly clock: Clock
  /** The state's lifetime (EmulatorDefinition.create): aborting it stops sends, retries and the queue. */
  readonly lifetime: AbortSignal
  readonly scheme: SignatureScheme
  /** How long one POST may take. Default 2000. */
  readonly timeoutMs?: number | undefined
  /** Default: 4 attempts, 250 ms doubling up to 5 s. */
  readonly retry?: Partial<RetryPolicy> | undefined
  /** Headers besides content-type and the signature (Spry: X-Event-Type, X-Event-Id, X-Delivery-Id). */
  readonly headers?: ((delivery: Delivery<Subject>) => Readonly<Record<string, string>>) | undefined
  readonly events?: SubscriptionSettings["events"]
  /** Event ids; default a UUID from the seed and a counter. The id stays the same on every retry. */
  readonly eventId?: ((n: number) => string) | undefined
}

export interface Announcement<Subject> {
  readonly event: string
  readonly organizationId: string
  /** Ids that say what changed; they appear on each delivery in the log. */
  readonly subject: Subject
}

/** Log size, and how much may wait or be in flight, so fast staff activity cannot pile up sockets or memory. */
const LOG_CAPACITY = 500
const MAX_IN_FLIGHT = 8
const MAX_QUEUED = 1000
const DEFAULT_RETRY: RetryPolicy = { attempts: 4, delayMs: 250, factor: 2, maxDelayMs: 5000 }
const EVENT_NS = 0x3e5b

export class WebhookHub<Subject extends Readonly<Record<string, string>>> {
  readonly subscriptions: WebhookSubscriptions
  readonly #settings: HubSettings<Subject>
  readonly #sending: Sending<Delivery<Subject>>
  #deliveries: Array<Delivery<Subject>> = []
  #queue: Array<Job<Delivery<Subject>>> = []
  #inFlight = 0
  #nextSeq = 1
  #nextEvent = 0

  constructor(settings: HubSettings<Subject>) {
    this.#settings = settings
    const now = () => settings.clock.now()
    this.subscriptions = new WebhookSubscriptions({ seed: settings.seed, now, events: settings.events })
    this.#sending = {
      now,
      timeoutMs: settings.timeoutMs ?? 2000,
      retry: { ...DEFAULT_RETRY, ...settings.retry },
      scheme: settings.scheme,
      headers: (delivery) => settings.headers?.(delivery) ?? {},
      closing: settings.lifetime,
      stopReason: (id) => {
        const target = this.subscriptions.target(id)
        if (target === undefined) return "target removed"
        return target.active ? undefined : "target inactive"
      },
    }
    settings.lifetime.addEventListener("abort", () => this.#drop(), { once: true })
  }

  /** Oldest first; pending entries change in place as attempts finish. */
  deliveries(targetId?: string): ReadonlyArray<Delivery<Subject>> {
    return targetId === undefined ? this.#deliveries : this.#deliveries.filter((d) => d.targetId === targetId)
  }

  /**
   * Queues one delivery per active subscription that wants the event. `body` runs once, now (the payload is the
   * record as it was when the change happened), and only if someone listens. Returns how many were queued.
   */
  publish(what: Announcement<Subject>, body: (eventId: string) => string): number {
    return this.#enqueue(this.subscriptions.matching(what.event, what.organizationId), what, body)
  }

  /** One delivery to one subscription whatever its filters (a vendor's "send a test event" endpoint). */
  deliverTo(id: string, what: Announcement<Subject>, body: (eventId: string) => string): number {
    const target = this.subscriptions.target(id)
    return target === undefined ? 0 : this.#enqueue([target], what, body)
  }

  #enqueue(targets: ReadonlyArray<Subscription>, what: Announcement<Subject>, body: (eventId: string) => string) {
    if (this.#settings.lifetime.aborted || targets.length === 0) return 0
    const n = this.#nextEvent++
    const eventId = this.#settings.eventId?.(n) ?? uuidOf(EVENT_NS, this.#settings.seed, n)
    const text = body(eventId)
    for (const target of targets) {
      const core: DeliveryCore = {
        seq: this.#nextSeq++,
        targetId: target.id,
        event: what.event,
        eventId,
        state: "pending",
        status: null,
        error: null,
        attempts: [],
      }
      const delivery: Delivery<Subject> = Object.assign(core, what.subject)
      this.#deliveries.push(delivery)
      if (this.#deliveries.length > LOG_CAPACITY) this.#deliveries.shift()
      if (this.#queue.length >= MAX_QUEUED) settle(delivery, "failed", "dropped: delivery queue full")
      else this.#queue.push({ target, delivery, body: text })
    }
    this.#pump()
    return targets.length
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && !this.#settings.lifetime.aborted) {
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

  /** On the lifetime's abort: in-flight POSTs and retries stop themselves; what never started fails here. */
  #drop(): void {
    for (const job of this.#queue) settle(job.delivery, "failed", "emulator closed")
    this.#queue = []
  }
}
