// The suite's arithmetic: nearest-rank percentiles and rates, and the report's table and chart output.
import { describe, expect, it } from "vitest"
import { lineChart, markdown } from "../src/Report.ts"
import { latency } from "../src/Stats.ts"

describe("latency figures", () => {
  it("reads nearest-rank percentiles and the rate over the run", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(latency(samples, 2)).toEqual({ count: 100, perSecond: 50, p50: 50, p95: 95, p99: 99, max: 100 })
    expect(latency([], 1)).toMatchObject({ count: 0, p99: 0 })
  })
})

describe("the report", () => {
  it("writes targets and tables as Markdown, marking what was missed", () => {
    const text = markdown(
      "Run",
      ["intro"],
      [{ title: "T", columns: ["a", "b|c"], rows: [[1, "x"]] }],
      [
        { name: "fast", goal: "≥ 1", value: "2", met: true },
        { name: "slow", goal: "≥ 3", value: "2", met: false },
      ],
    )
    expect(text).toContain("| fast | ≥ 1 | 2 | yes |")
    expect(text).toContain("| slow | ≥ 3 | 2 | **no** |")
    expect(text).toContain("| a | b\\|c |")
  })

  it("draws every series of a chart with its legend", () => {
    const svg = lineChart({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      logX: true,
      series: [
        {
          name: "engine",
          points: [
            [1000, 10],
            [10000, 20],
          ],
        },
        {
          name: "raw <",
          points: [
            [1000, 30],
            [10000, 40],
          ],
        },
      ],
    })
    expect(svg.match(/<path /g)).toHaveLength(2)
    expect(svg).toContain("raw &lt;")
  })
})
