// Convergence under faults, model-based (fast-check): random interleavings of local edits, vendor-side edits, pulls
// and injected faults across every vendor; after the system quiesces, nothing is lost, duplicated or echoed and every
// work item equals its vendor record unless a conflict or a dead letter says why (Model.ts). A short profile runs in
// `pnpm test`; `pnpm test:soak` runs the long one (Convergence.soak.ts). Counterexamples fast-check shrinks to are
// kept in `regressions` below and replayed first.
import { backends } from "@taskbridge/db/testing/Backends"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Command, commands, type Stack, scenario, startStack } from "./Model.ts"

/** Shrunk counterexamples, replayed as they are. Add one with the `commands` fast-check printed when it failed. */
const everyVendor = (make: (vendor: number) => ReadonlyArray<Command>) => [0, 1, 2, 3, 4].flatMap(make)

const regressions: ReadonlyArray<{ readonly name: string; readonly commands: ReadonlyArray<Command> }> = [
  {
    name: "a write whose answer is lost after the vendor applied it is not written again",
    commands: everyVendor((vendor) => [
      { type: "fault", vendor, kind: "truncated", count: 1, method: "PATCH" },
      { type: "fault", vendor, kind: "truncated", count: 1, method: "PUT" },
      { type: "fault", vendor, kind: "truncated", count: 1, method: "POST" },
      { type: "local", vendor, item: 5, value: 11 + vendor },
      { type: "wait", ms: 100 },
    ]),
  },
  {
    name: "both sides edit the same record while its vendor drops connections and answers 503",
    commands: [
      { type: "fault", vendor: 0, kind: "drop", count: 2 },
      { type: "local", vendor: 0, item: 1, value: 1 },
      { type: "vendor", vendor: 0, item: 1 },
      { type: "fault", vendor: 1, kind: "error5xx", count: 2 },
      { type: "local", vendor: 1, item: 2, value: 2 },
      { type: "pull", vendor: 1 },
      { type: "fault", vendor: 2, kind: "truncated", count: 1 },
      { type: "local", vendor: 2, item: 3, value: 3 },
      { type: "vendor", vendor: 2, item: 3 },
      { type: "fault", vendor: 3, kind: "rateLimit", count: 2 },
      { type: "local", vendor: 3, item: 4, value: 4 },
      { type: "wait", ms: 200 },
    ],
  },
]

const backend = backends.at(-1)
if (backend === undefined) throw new Error("no database backend")

describe(`convergence under faults on ${backend.name}`, () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack(backend, 31)
  }, 240_000)
  afterAll(async () => {
    await stack?.close()
  })

  const checked = async (list: ReadonlyArray<Command>) => {
    const { tally, verdict } = await scenario(stack, list)
    expect(verdict.diverged, verdict.notes.join("\n")).toEqual([])
    expect([verdict.lost, verdict.duplicates, verdict.echoes], verdict.notes.join("\n")).toEqual([0, 0, 0])
    expect(verdict.compared).toBeGreaterThan(0)
    return { tally, verdict }
  }

  for (const regression of regressions) {
    it(`replays: ${regression.name}`, async () => {
      const { tally } = await checked(regression.commands)
      expect(tally.edits).toBeGreaterThan(0)
    }, 300_000)
  }

  it("converges after random interleavings of edits on both sides, pulls and faults", async () => {
    await fc.assert(
      fc.asyncProperty(commands({ min: 10, max: 30 }), async (list) => {
        await checked(list)
      }),
      { numRuns: 2, seed: 20261201, endOnFailure: true },
    )
  }, 600_000)
})
