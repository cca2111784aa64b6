// Webhook subscriptions: who wants which events of which organization, at which URL, signed with which secret.
// Vendor API routes (Vambe `/api/webhooks`, Spry `/api/v2/subscriptions`) and the UI stand-in control routes
// (CareValidate) both go through here, so a URL or event name is checked the same way everywhere.
import { deterministicSecret } from "./Secrets.ts"

export interface Subscription {
  readonly id: string
  url: string
  secret: string | null
  /** Only this organization's events; null means every organization's. */
  readonly organizationId: string | null
  /** Only these events; null means all of them. */
  events: ReadonlyArray<string> | null
  readonly createdAt: string
  active: boolean
  /** Test fault: the signature header stays well-formed but is made with a wrong key. */
  badSignature: boolean
}

export interface NewSubscription {
  readonly url: string
  readonly secret?: string | null | undefined
  readonly organizationId?: string | null | undefined
  readonly events?: ReadonlyArray<string> | null | undefined
}

export type SubscriptionChange = Partial<Pick<Subscription, "url" | "secret" | "events" | "active">>

/** A subscription as tests and vendor routes see it: the secret itself is never echoed back. */
export const subscriptionView = ({ secret, ...subscription }: Subscription) => ({
  ...subscription,
  hasSecret: secret !== null,
})
export type SubscriptionView = ReturnType<typeof subscriptionView>

/** Thrown for a subscription a vendor would refuse; control routes answer 400, vendor routes their own envelope. */
export class WebhookInputError extends Error {}

export interface SubscriptionSettings {
  readonly seed: number
  readonly now: () => number
  /** The event names subscriptions may ask for, so a typo is an error rather than silence. */
  readonly events?: { readonly names: ReadonlyArray<string>; readonly vendor: string } | undefined
}

const SECRET_NS = 0x3e5c

export class WebhookSubscriptions {
  readonly #settings: SubscriptionSettings
  readonly #targets = new Map<string, Subscription>()
  #nextId = 1
  #nextSecret = 0

  constructor(settings: SubscriptionSettings) {
    this.#settings = settings
  }

  register(input: NewSubscription): SubscriptionView {
    const target: Subscription = {
      id: `wh_${this.#nextId++}`,
      url: this.#url(input.url),
      secret: this.#secret(input.secret),
      organizationId: input.organizationId ?? null,
      events: this.#events(input.events),
      createdAt: new Date(this.#settings.now()).toISOString(),
      active: true,
      badSignature: false,
    }
    this.#targets.set(target.id, target)
    return subscriptionView(target)
  }

  get(id: string): SubscriptionView | undefined {
    const target = this.#targets.get(id)
    return target === undefined ? undefined : subscriptionView(target)
  }

  list(organizationId?: string): Array<SubscriptionView> {
    const all = [...this.#targets.values()]
    const mine = organizationId === undefined ? all : all.filter((t) => t.organizationId === organizationId)
    return mine.map(subscriptionView)
  }

  /** Validates the whole change before applying any of it, so a bad field leaves the subscription as it was. */
  update(id: string, change: SubscriptionChange): SubscriptionView | undefined {
    const url = change.url === undefined ? undefined : this.#url(change.url)
    const secret = change.secret === undefined ? undefined : this.#secret(change.secret)
    const events = change.events === undefined ? undefined : this.#events(change.events)
    return this.#set(id, (target) => {
      if (url !== undefined) target.url = url
      if (secret !== undefined) target.secret = secret
      if (events !== undefined) target.events = events
      if (change.active !== undefined) target.active = change.active
    })
  }

  remove(id: string): boolean {
    return this.#targets.delete(id)
  }

  setBadSignature(id: string, enabled: boolean): SubscriptionView | undefined {
    return this.#set(id, (target) => {
      target.badSignature = enabled
    })
  }

  /** A fresh signing secret for vendors that generate one (Spry's `signature_key`); reproducible per seed. */
  newSecret(prefix = "whsec_"): string {
    return deterministicSecret(prefix, SECRET_NS, this.#settings.seed, this.#nextSecret++)
  }

  /** The live subscription objects (deliveries read url and secret at send time, so rotation takes effect). */
  target(id: string): Subscription | undefined {
    return this.#targets.get(id)
  }

  /** Active subscriptions that want `event` of `organizationId`. */
  matching(event: string, organizationId: string): Array<Subscription> {
    return [...this.#targets.values()].filter(
      (t) =>
        t.active &&
        (t.organizationId === null || t.organizationId === organizationId) &&
        (t.events === null || t.events.includes(event)),
    )
  }

  #set(id: string, change: (target: Subscription) => void): SubscriptionView | undefined {
    const target = this.#targets.get(id)
    if (target === undefined) return undefined
    change(target)
    return subscriptionView(target)
  }

  #url(value: string): string {
    const url = URL.canParse(value) ? new URL(value) : undefined
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new WebhookInputError("url must be an http(s) URL")
    }
    return value
  }

  #secret(value: string | null | undefined): string | null {
    if (value === "") throw new WebhookInputError("secret must be a non-empty string")
    return value ?? null
  }

  #events(value: ReadonlyArray<string> | null | undefined): ReadonlyArray<string> | null {
    if (value === undefined || value === null) return null
    if (value.length === 0) throw new WebhookInputError("events must be a non-empty list")
    const known = this.#settings.events
    const unknown = known === undefined ? [] : value.filter((name) => !known.names.includes(name))
    if (unknown.length > 0) throw new WebhookInputError(`not documented ${known?.vendor} events: ${unknown.join(", ")}`)
    return [...value]
  }
}
