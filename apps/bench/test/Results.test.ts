// How runs of some suites gather into one results file: what each keeps of the earlier file, and that every part
// stays dated by the run that measured it, however many runs kept it since.
import { describe, expect, it } from "vitest"
import { joinEarlier, type ResultsFile } from "../src/Results.ts"

interface Figures {
  readonly pulls: ReadonlyArray<{ readonly backend: string; readonly value: number }>
  readonly api: number | null
  readonly push: number | null
  readonly [suite: string]: unknown
}
const none: Figures = { pulls: [], api: null, push: null }
const file = (date: string, joined: ReturnType<typeof joinEarlier<Figures>>): ResultsFile<Figures> => ({
  date,
  profile: "standard",
  ...joined,
})

describe("joinEarlier", () => {
  it("keeps the suites a run did not run, dated by the runs that measured them", () => {
    const full = file(
      "T1",
      joinEarlier(
        {
          pulls: [
            { backend: "postgres", value: 1 },
            { backend: "pglite", value: 2 },
          ],
          api: 3,
          push: 4,
        },
        ["pulls", "api", "push"],
        "T1",
        "standard",
        null,
      ),
    )
    const apiOnly = file("T2", joinEarlier({ ...none, api: 30 }, ["api"], "T2", "standard", full))
    expect(apiOnly.figures).toMatchObject({ api: 30, push: 4, pulls: full.figures.pulls })
    expect(apiOnly.runs).toEqual([
      { date: "T2", suites: ["api"] },
      { date: "T1", suites: ["pulls", "push"] },
    ])
  })

  it("keeps other backends' pulls with the date of the run that measured them, through later runs", () => {
    const full = file(
      "T1",
      joinEarlier(
        {
          ...none,
          pulls: [
            { backend: "postgres", value: 1 },
            { backend: "pglite", value: 2 },
          ],
        },
        ["pulls"],
        "T1",
        "standard",
        null,
      ),
    )
    const postgresOnly = (date: string, earlier: ResultsFile<Figures>, value: number) =>
      file(
        date,
        joinEarlier({ ...none, pulls: [{ backend: "postgres", value }] }, ["pulls"], date, "standard", earlier),
      )
    const second = postgresOnly("T2", full, 10)
    const third = postgresOnly("T3", second, 100)
    expect(third.figures.pulls).toEqual([
      { backend: "postgres", value: 100 },
      { backend: "pglite", value: 2 },
    ])
    expect(third.runs).toEqual([
      { date: "T3", suites: ["pulls"] },
      { date: "T1", suites: ["pulls (pglite)"] },
    ])
  })

  it("keeps nothing of a file of another profile", () => {
    const quick: ResultsFile<Figures> = { date: "T1", profile: "quick", figures: { api: 3 }, runs: [] }
    const joined = joinEarlier({ ...none, push: 4 }, ["push"], "T2", "standard", quick)
    expect(joined.figures.api).toBeNull()
    expect(joined.runs).toEqual([{ date: "T2", suites: ["push"] }])
  })
})
