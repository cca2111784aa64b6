// Health over time per connection: lag, throughput, error rate and outbox depth. Until `health.series` is served the
// console samples `sync.status` itself every 5 s, so the charts show what happened while the page was open.
import { useQuery } from "@tanstack/react-query"
import { useEffect, useRef, useState } from "react"
import { type ConnectionHealth, useTRPC } from "../lib/trpc.ts"
import type { Series } from "./Chart.tsx"

export interface HealthSeries {
  readonly lag: Series
  readonly throughput: Series
  readonly errorRate: Series
  readonly outbox: Series
}

const empty: Series = { times: [], values: [] }
const keep = 120

const push = (s: Series, t: number, v: number | null): Series => ({
  times: [...s.times, t].slice(-keep),
  values: [...s.values, v].slice(-keep),
})

export const useHealth = () => {
  const trpc = useTRPC()
  const status = useQuery({ ...trpc.sync.status.queryOptions(), refetchInterval: 5_000 })
  const [series, setSeries] = useState<Record<string, HealthSeries>>({})
  const seen = useRef(0)
  useEffect(() => {
    if (status.data === undefined || status.dataUpdatedAt === seen.current) return
    seen.current = status.dataUpdatedAt
    const t = Math.round(status.dataUpdatedAt / 1000)
    setSeries((prev) => {
      const next: Record<string, HealthSeries> = { ...prev }
      for (const c of status.data as ReadonlyArray<ConnectionHealth>) {
        const s = prev[c.connectionId] ?? { lag: empty, throughput: empty, errorRate: empty, outbox: empty }
        next[c.connectionId] = {
          lag: push(s.lag, t, c.lagSeconds),
          throughput: push(s.throughput, t, c.backfill?.recordsPerSecond ?? null),
          errorRate: push(s.errorRate, t, c.errorRate),
          outbox: push(s.outbox, t, c.outbox.pending + c.outbox.sending),
        }
      }
      return next
    })
  }, [status.data, status.dataUpdatedAt])
  return { status, series }
}
