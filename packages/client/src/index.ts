// What an internal app imports to call taskbridge: `createClient({ url, token })` returns the typed tRPC client —
// queries and mutations over batched HTTP, the `events` subscription over server-sent events — with the bearer
// token on every request. Types come from the API's router (imported as a type only; no server code is bundled).
import type { AppRouter, RouterInputs, RouterOutputs } from "@taskbridge/api/Router"
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from "@trpc/client"
import { EventSource } from "eventsource"

export { TRPCClientError } from "@trpc/client"
export type { AppRouter, RouterInputs, RouterOutputs }

export interface ClientOptions {
  /** The API's address, e.g. `http://127.0.0.1:4000` (`/trpc` is added when missing). */
  readonly url: string
  /** An API token (`tb_…`); its organization scopes every call and its role bounds what the client may do. */
  readonly token: string
  /** The fetch to use (default: the global one); tests and proxies can pass their own. */
  readonly fetch?: typeof fetch | undefined
}

export type TaskbridgeClient = TRPCClient<AppRouter>

const endpoint = (url: string) => {
  const base = url.replace(/\/+$/, "")
  return base.endsWith("/trpc") ? base : `${base}/trpc`
}

export const createClient = (options: ClientOptions): TaskbridgeClient => {
  const url = endpoint(options.url)
  const authorization = `Bearer ${options.token}`
  const baseFetch = options.fetch ?? fetch
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // The browser EventSource cannot send headers; the `eventsource` package takes a fetch that can.
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              baseFetch(input, {
                ...init,
                headers: { ...Object.fromEntries(new Headers(init?.headers)), authorization },
              }),
          }),
        }),
        false: httpBatchLink({
          url,
          headers: () => ({ authorization }),
          fetch: (input, init) => baseFetch(input, init as RequestInit),
        }),
      }),
    ],
  })
}
