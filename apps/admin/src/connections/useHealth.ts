// Health over time per connection from `health.series` (the last 6 hours in 60 buckets): lag, throughput, error rate
// and outbox depth, as chart series; and the current status (`sync.status`) beside it. Refreshed by the events feed
// and every 15 s.
import { useQuery } from "@tanstack/react-query"
import { useMemo } from "react"
import { useTRPC } from "../lib/trpc.ts"
import type { Series } from "./Chart.tsx"

export interface HealthSeries {
  readonly lag: Series
  readonly throughput: Series
  readonly errorRate: Series
  readonly outbox: Series
}

export const useHealth = () => {
  const trpc = useTRPC()
  const status = useQuery({ ...trpc.sync.status.queryOptions(), refetchInterval: 15_000 })
  const history = useQuery({
    ...trpc.health.series.queryOptions({ windowSeconds: 6 * 3600, buckets: 60 }),
    refetchInterval: 15_000,
  })
  const series = useMemo(() => {
    const out: Record<string, HealthSeries> = {}
    for (const c of history.data?.connections ?? []) {
      const times = c.points.map((p) => Math.round(Date.parse(p.to) / 1000))
      out[c.connectionId] = {
        lag: { times, values: c.points.map((p) => p.lagSeconds) },
        throughput: { times, values: c.points.map((p) => p.recordsPerSecond) },
        errorRate: { times, values: c.points.map((p) => p.errorRate) },
        outbox: { times, values: c.points.map((p) => p.outboxDepth) },
      }
    }
    return out
  }, [history.data])
  return { status, series }
}
