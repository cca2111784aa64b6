// A small time-series chart (uPlot: canvas, ~50 kB, fast with thousands of points) for one health measure of one
// connection. The chart is created once and fed new data, never rebuilt on each sample.
import { useEffect, useRef } from "react"
import uPlot from "uplot"

export interface Series {
  readonly times: ReadonlyArray<number>
  readonly values: ReadonlyArray<number | null>
}

export const Chart = ({
  title,
  series,
  unit,
}: {
  readonly title: string
  readonly series: Series
  readonly unit: string
}) => {
  const host = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  useEffect(() => {
    if (host.current === null) return
    plot.current = new uPlot(
      {
        width: 220,
        height: 90,
        legend: { show: false },
        cursor: { show: false },
        axes: [
          { show: false },
          {
            size: 36,
            font: "10px sans-serif",
            stroke: "#333",
            grid: { stroke: "#eee" },
            values: (_u, ticks) => ticks.map((t) => `${t}`),
          },
        ],
        // Buckets without a finished pull are gaps; points mark the buckets that have one, so a sparse hour still shows.
        series: [
          {},
          {
            stroke: "#364fc7",
            width: 1.5,
            fill: "rgba(54,79,199,0.08)",
            spanGaps: true,
            points: { show: true, size: 4, fill: "#364fc7" },
          },
        ],
      },
      [[], []],
      host.current,
    )
    return () => {
      plot.current?.destroy()
      plot.current = null
    }
  }, [])
  useEffect(() => {
    plot.current?.setData([[...series.times], [...series.values]] as uPlot.AlignedData)
  }, [series])
  const last = series.values.at(-1)
  return (
    <figure style={{ margin: 0 }} aria-label={`${title}: ${last == null ? "no data" : `${last} ${unit}`}`}>
      <figcaption style={{ fontSize: 12, fontWeight: 600 }}>
        {title}: {last == null ? "—" : `${Math.round(last * 100) / 100} ${unit}`}
      </figcaption>
      <div ref={host} />
    </figure>
  )
}
