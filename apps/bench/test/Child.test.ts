// How the bench reads its children's output: a result line is used only once it has ended, however many chunks it
// arrives in.
import { describe, expect, it } from "vitest"
import { completeLines } from "../src/Child.ts"

describe("completeLines", () => {
  it("leaves out a line that has not ended yet", () => {
    const result = `BENCH_RESULT ${JSON.stringify({ samples: Array.from({ length: 20_000 }, (_, i) => i) })}\n`
    const cut = 65_536
    expect(completeLines(`log line\n${result.slice(0, cut)}`)).toEqual(["log line"])
    expect(completeLines(`log line\n${result}`)).toEqual(["log line", result.slice(0, -1)])
  })

  it("has no lines before the first newline", () => {
    expect(completeLines("")).toEqual([])
    expect(completeLines("BENCH_RESULT {")).toEqual([])
  })
})
