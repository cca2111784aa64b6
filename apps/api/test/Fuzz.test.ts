// Every procedure of the router fuzzed through its input: inputs derived from its own schema (valid-shaped, so they
// reach the procedure's logic and the database) and arbitrary JSON (malformed). Whatever arrives, the answer is never
// a 500, and a refusal of malformed input names the field it is about. Runs on PGlite (and PostgreSQL when set), as
// an admin, against a CareValidate emulator so connection procedures have a real vendor behind them.
import { backends } from "@taskbridge/db/testing/Backends"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { TRPCError } from "@trpc/server"
import { Arbitrary, Effect, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { appRouter } from "../src/Router.ts"
import { schemaOf } from "../src/Trpc.ts"
import { type Harness, startHarness } from "./support/harness.ts"

type Procedure = {
  readonly _def: { readonly type: "query" | "mutation" | "subscription"; readonly inputs: ReadonlyArray<unknown> }
}
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>)
const runs = { valid: 25, malformed: 25 }
/** Per procedure, what its valid-shaped inputs ended with. */
const reached = new Map<string, Array<string>>()
/** Reproducible samples: the same inputs every run, so a failure names an input that fails again. */
const sample = <A>(arbitrary: Arbitrary.Arbitrary<A>, count: number, seed: string) =>
  Effect.runPromise(Arbitrary.sampleEffect(arbitrary, { count, seed, maxDiscards: count * 50 }))

/** What a call ended with: success, or the tRPC code and message it was refused with. */
const outcome = async (call: () => Promise<unknown>) => {
  try {
    await call()
    return { code: "OK", message: "" }
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message }
    throw error
  }
}

for (const backend of backends) {
  describe(`every procedure, fuzzed, on ${backend.name}`, () => {
    let harness: Harness
    let careValidate: Awaited<ReturnType<typeof startCareValidate>>
    let admin: string

    beforeAll(async () => {
      careValidate = await startCareValidate({ port: 0, seed: 3, size: 10 })
      harness = await startHarness(backend)
      admin = (await harness.organization("fuzz")).token
    }, 120_000)

    afterAll(async () => {
      await harness?.close()
      await careValidate?.close()
    })

    it("has an input schema for every procedure that takes input", () => {
      for (const [path, procedure] of procedures) {
        for (const parser of procedure._def.inputs) expect(schemaOf(parser), path).toBeDefined()
      }
    })

    for (const [path, procedure] of procedures) {
      if (procedure._def.type === "subscription") continue
      it(`${path}: never a 500, and malformed input is refused naming its field`, async () => {
        const caller = (await harness.caller(admin)) as unknown as Record<
          string,
          Record<string, (i: unknown) => Promise<unknown>>
        >
        const [group, name] = path.split(".") as [string, string]
        const call = (input: unknown) => () => {
          const fn =
            name === undefined ? (caller[group] as unknown as (i: unknown) => Promise<unknown>) : caller[group]?.[name]
          if (fn === undefined) throw new Error(`no procedure ${path}`)
          return fn(input)
        }
        const schema = schemaOf(procedure._def.inputs[0])
        if (schema !== undefined) {
          const encode = Schema.encodeSync(Schema.toCodecJson(schema as Schema.Codec<unknown, unknown>))
          const valid = await sample(Arbitrary.schema(schema as Schema.Codec<unknown, unknown>), runs.valid, path)
          for (const value of valid) {
            const result = await outcome(call(encode(value)))
            reached.set(path, [...(reached.get(path) ?? []), result.code])
            expect(result.code, `${path} with a valid-shaped input`).not.toBe("INTERNAL_SERVER_ERROR")
          }
        }
        const malformed = await sample(Arbitrary.schema(Schema.Json), runs.malformed, `${path}/json`)
        for (const value of malformed) {
          const result = await outcome(call(value))
          expect(result.code, `${path} with ${JSON.stringify(value)}`).not.toBe("INTERNAL_SERVER_ERROR")
          if (result.code === "BAD_REQUEST") expect(result.message, path).toMatch(/^[\w.()]+|^input/)
        }
      }, 120_000)
    }

    it("reached each procedure's logic with its valid-shaped inputs, not only its input check", () => {
      const past = [...reached].filter(([, codes]) => codes.some((code) => code !== "BAD_REQUEST"))
      expect(past.length / Math.max(reached.size, 1)).toBeGreaterThanOrEqual(0.8)
    })
  })
}
