// Where vendor calls may go: the egress policy every adapter request passes before it leaves, and the same check a
// connection's base URL meets when it is saved. A base URL must be https, carry no user:password, and not point at a
// loopback, private, link-local or otherwise internal address — unless its host is explicitly allowed (the sandbox's
// loopback emulators, which `pnpm start` allows). Hostnames are resolved and every answer checked; the check runs
// again before each request (cached per host for a minute) because DNS answers change after a connection is saved.
import { lookup } from "node:dns/promises"
import { BlockList, isIP } from "node:net"
import { Clock, Context, Effect } from "effect"

export interface EgressRules {
  /** Hosts reached even over http and even when internal: `host` (any port) or `host:port`, as in the URL. */
  readonly allowHosts: ReadonlyArray<string>
}

export interface EgressPolicy {
  /** Why a request to `url` must not be sent, or undefined when it may. */
  readonly refusal: (url: string) => Effect.Effect<string | undefined>
}

/**
 * The policy in force. The kit's default lets everything through (a library does not guess its host's network);
 * taskbridge's apps always install `strict(...)` (see `@taskbridge/sync/App`).
 */
export const Egress = Context.Reference<EgressPolicy>("@taskbridge/adapter-kit/Egress", {
  defaultValue: () => ({ refusal: () => Effect.succeed(undefined) }),
})

// Addresses no vendor lives at: this host, private networks, link-local (cloud metadata at 169.254.169.254),
// carrier-grade NAT, documentation and benchmarking ranges, multicast and reserved space, in both families.
const internal = new BlockList()
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internal.addSubnet(net, prefix, "ipv4")
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  // NAT64's well-known prefix reaches any IPv4 address. (IPv4-mapped ::ffff:a.b.c.d needs no rule: BlockList checks
  // it against the IPv4 ranges itself, and a ::ffff:0:0/96 rule would match every IPv4 address.)
  ["64:ff9b::", 96],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  internal.addSubnet(net, prefix, "ipv6")
}

/** Whether an IP address (v4 or v6, no brackets) is one of the internal ranges. */
export const isInternalAddress = (address: string): boolean => {
  const family = isIP(address)
  return family === 0 ? false : internal.check(address, family === 4 ? "ipv4" : "ipv6")
}

type Resolve = (host: string) => Promise<ReadonlyArray<string>>

const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)

/**
 * Why `raw` may not be a vendor base URL or request URL under `rules`, or undefined. A host that does not resolve is
 * not refused here: the request will fail on its own, and a vendor's DNS may be unreachable from where it is saved.
 */
export const check = async (raw: string, rules: EgressRules, resolve: Resolve = resolveAll) => {
  const url = URL.canParse(raw) ? new URL(raw) : null
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) return "must be an absolute http(s) URL"
  if (url.username !== "" || url.password !== "") {
    return "must not carry a user name or password (credentials go in the connection's credentials)"
  }
  // `URL` has already normalised the host: lower case, IPv4 in dotted form (2130706433 → 127.0.0.1), IPv6 bracketed.
  const host = url.hostname
  if (rules.allowHosts.includes(host) || rules.allowHosts.includes(url.host)) return undefined
  const bare = host.startsWith("[") ? host.slice(1, -1) : host
  const literal = isIP(bare) !== 0
  if (literal && isInternalAddress(bare)) return `must not point at an internal address (${host})`
  if (bare === "localhost" || bare.endsWith(".localhost")) return `must not point at this machine (${host})`
  if (url.protocol !== "https:") return `must use https (${url.host} is not an allowed host)`
  if (literal) return undefined
  const addresses = await resolve(bare).catch(() => [] as ReadonlyArray<string>)
  const inside = addresses.find(isInternalAddress)
  return inside === undefined ? undefined : `must not point at an internal address (${host} resolves to ${inside})`
}

const cacheMillis = 60_000

/** The policy taskbridge runs with: `check` under `rules`, remembered per origin for a minute. */
export const strict = (rules: EgressRules, resolve: Resolve = resolveAll): EgressPolicy => {
  const seen = new Map<string, { readonly refusal: string | undefined; readonly at: number }>()
  return {
    refusal: (raw) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const origin = URL.canParse(raw) ? new URL(raw) : null
        // The cache is by origin (and userinfo, which makes a URL refused whatever its host).
        const key = origin === null ? raw : `${origin.protocol}//${origin.username}:${origin.password}@${origin.host}`
        const cached = seen.get(key)
        if (cached !== undefined && now - cached.at < cacheMillis) return cached.refusal
        const refusal = yield* Effect.promise(() => check(raw, rules, resolve))
        if (seen.size > 1_000) seen.clear()
        seen.set(key, { refusal, at: now })
        return refusal
      }),
  }
}

/** Reads `TASKBRIDGE_ALLOWED_HOSTS` (comma-separated `host` or `host:port`) as rules. */
export const rulesFrom = (allowed: string | undefined): EgressRules => ({
  allowHosts: (allowed ?? "")
    .split(",")
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== ""),
})
