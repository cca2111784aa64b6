// The suite's arithmetic: nearest-rank percentiles and rates, and the report's table and chart output.
import { describe, expect, it } from "vitest"
import { lineChart, markdown } from "../src/Report.ts"
import { alternate, blocksOf, closedLoopBlock, latency, merged } from "../src/Stats.ts"

describe("latency figures", () => {
  it("reads nearest-rank percentiles and the rate over the run", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(latency(samples, 2)).toEqual({ count: 100, perSecond: 50, p50: 50, p95: 95, p99: 99, max: 100 })
    expect(latency([], 1)).toMatchObject({ count: 0, p99: 0 })
  })
})

describe("blocks of load", () => {
  it("numbers a block's calls from where the last one stopped, and times each call", async () => {
    const seen: Array<number> = []
    const block = await closedLoopBlock(
      2,
      0.05,
      async (i) => {
        seen.push(i)
        await new Promise((resolve) => setTimeout(resolve, 5))
      },
      100,
    )
    expect(block.samples.length).toBe(seen.length)
    expect(seen.length).toBeGreaterThan(2)
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: seen.length }, (_, i) => 100 + i))
    expect(Math.min(...block.samples)).toBeGreaterThanOrEqual(4)
    expect(block.seconds).toBeGreaterThanOrEqual(0.05)
  })

  it("carries one load's iteration count from block to block", async () => {
    const seen: Array<number> = []
    const next = blocksOf(2, async (i) => {
      seen.push(i)
      await new Promise((resolve) => setTimeout(resolve, 5))
    })
    const first = await next(0.03)
    const second = await next(0.03)
    expect(first.samples.length + second.samples.length).toBe(seen.length)
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: seen.length }, (_, i) => i))
    expect(Math.min(...seen.slice(first.samples.length))).toBeGreaterThanOrEqual(first.samples.length)
  })

  it("merges blocks into one run: percentiles over every sample, the rate over their summed time", () => {
    const low = { samples: Array.from({ length: 50 }, (_, i) => i + 1), seconds: 1 }
    const high = { samples: Array.from({ length: 50 }, (_, i) => i + 51), seconds: 1 }
    expect(merged([low, high])).toEqual(latency([...low.samples, ...high.samples], 2))
    expect(merged([high, low]).p99).toBe(99)
  })

  it("alternates the engine side and its baseline in ABBA order, so both sit at the same mean position", async () => {
    const order: Array<string> = []
    const block = (side: string) => async (i: number) => {
      order.push(`${side}${i}`)
      return { samples: [i], seconds: 1 }
    }
    const sides = await alternate(4, block("engine"), block("baseline"))
    expect(order).toEqual([
      "engine0",
      "baseline0",
      "baseline1",
      "engine1",
      "engine2",
      "baseline2",
      "baseline3",
      "engine3",
    ])
    const position = (side: string) =>
      order.flatMap((entry, at) => (entry.startsWith(side) ? [at] : [])).reduce((sum, at) => sum + at, 0)
    expect(position("engine")).toBe(position("baseline"))
    expect(sides.engine.map((b) => b.samples[0])).toEqual([0, 1, 2, 3])
    expect(sides.baseline).toHaveLength(4)
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
