// The typed tRPC client of the console: AppRouter is imported as a type only; queries and mutations go through one
// batched HTTP link, `events` through server-sent events, both on the session cookie (credentials: "include") and
// carrying the session's CSRF header. `useTRPC()` gives typed query/mutation options for TanStack Query.

import { QueryClient } from "@tanstack/react-query"
import type { AppRouter, RouterOutputs } from "@taskbridge/api/Router"
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client"
import { createTRPCContext } from "@trpc/tanstack-react-query"
import { csrfHeaders } from "./session.ts"

export type { AppRouter, RouterOutputs }
export type Task = RouterOutputs["tasks"]["get"]
export type TaskPage = RouterOutputs["tasks"]["list"]
export type ConnectionHealth = RouterOutputs["sync"]["status"][number]
export type Conflict = RouterOutputs["conflicts"]["list"][number]
export type OutboxEntry = RouterOutputs["sync"]["outbox"][number]
export type HistoryRecord = RouterOutputs["tasks"]["history"][number]
export type VendorInfo = RouterOutputs["vendors"]["list"][number]
export type Connection = RouterOutputs["connections"]["list"][number]

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>()

const url = "/trpc"

export const makeClient = () =>
  createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url, eventSourceOptions: () => ({ withCredentials: true }) }),
        false: httpBatchLink({
          url,
          headers: () => csrfHeaders,
          fetch: (input, init) => fetch(input, { ...(init as RequestInit), credentials: "include" }),
        }),
      }),
    ],
  })

export const makeQueryClient = () =>
  new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false },
    },
  })

/** A tRPC error's message for people: the API's messages name the field and the rule. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : "Something went wrong; try again."

/** The tRPC error code of a failure (CONFLICT, BAD_REQUEST, …), when it has one. */
export const errorCode = (error: unknown): string | undefined =>
  (error as { data?: { code?: string } } | null)?.data?.code

/** Structured details the API puts beside a message (`violations`, `currentVersion`). */
export const errorDetails = (error: unknown): Record<string, unknown> | undefined =>
  (error as { data?: { details?: Record<string, unknown> } } | null)?.data?.details
