// The long convergence run behind `pnpm test:soak`: the model of Convergence.test.ts with long random interleavings
// until at least SOAK_EDITS (default 10,000) edits have been made across every vendor under injected faults; each
// scenario must converge with nothing lost, duplicated or echoed. Writes its figures to
// bench/results/soak-convergence-<date>.json for docs/reliability.md.
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { backends } from "@taskbridge/db/testing/Backends"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { commands, type Stack, scenario, startStack } from "./Model.ts"

const target = Number(process.env.SOAK_EDITS ?? 10_000)
const results = fileURLToPath(new URL("../../../../bench/results/", import.meta.url))

// PostgreSQL when it is reachable (the last backend), PGlite otherwise.
const backend = backends.at(-1)
if (backend === undefined) throw new Error("no database backend")

describe(`convergence soak on ${backend.name}`, () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack(backend, 47)
  }, 240_000)
  // After a long run the stack's shutdown has outlasted the hook's 5 minutes (the embedded runner winding down a long
  // history of executions): the verdict is in by then, so teardown gets 60 s and is then named and left.
  afterAll(async () => {
    const closed = await Promise.race([
      (stack?.close() ?? Promise.resolve()).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 60_000).unref()),
    ])
    console.log(`convergence soak: stack ${closed ? "closed" : "NOT closed within 60 s"}`)
  }, 90_000)

  it(
    `converges over at least ${target} edits under faults`,
    async () => {
      const total = { scenarios: 0, edits: 0, refused: 0, vendorEdits: 0, faults: 0, compared: 0, entries: 0 }
      const bad = { lost: 0, duplicates: 0, echoes: 0, diverged: 0 }
      const started = Date.now()
      await fc.assert(
        fc.asyncProperty(commands({ min: 400, max: 700 }), async (list) => {
          if (total.edits >= target) return
          const { tally, verdict } = await scenario(stack, list)
          total.scenarios += 1
          total.edits += tally.edits
          total.refused += tally.refused
          total.vendorEdits += tally.vendorEdits
          total.faults += tally.faults
          total.compared += verdict.compared
          total.entries += verdict.entries
          bad.lost += verdict.lost
          bad.duplicates += verdict.duplicates
          bad.echoes += verdict.echoes
          bad.diverged += verdict.diverged.length
          expect(verdict.diverged, verdict.notes.join("\n")).toEqual([])
          expect([verdict.lost, verdict.duplicates, verdict.echoes], verdict.notes.join("\n")).toEqual([0, 0, 0])
        }),
        // No shrinking in the soak (a failure prints its commands; shrink it in Convergence.test.ts's regressions).
        { numRuns: 10_000, seed: 20261202, endOnFailure: true },
      )
      const summary = { backend: backend.name, ...total, ...bad, seconds: Math.round((Date.now() - started) / 1000) }
      console.log(`convergence soak: ${JSON.stringify(summary)}`)
      mkdirSync(results, { recursive: true })
      writeFileSync(
        join(results, `soak-convergence-${new Date().toISOString().slice(0, 10)}.json`),
        `${JSON.stringify(summary, null, 2)}\n`,
      )
      expect(total.edits).toBeGreaterThanOrEqual(target)
    },
    4 * 3_600_000,
  )
})
