// The write path's hand-written encoding of a task's JSON columns equals the domain codecs' encoding, for generated
// tasks of every shape (dues of each form, notes, links with and without instants, extensions).
import { describe, expect, it } from "@effect/vitest"
import { Task } from "@taskbridge/domain/Task"
import { Arbitrary, Schema } from "effect"
import { JsonColumns, jsonColumns } from "../src/internal/TaskColumns.ts"

const byCodec = Schema.encodeSync(JsonColumns)
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown

describe("a task's JSON columns", () => {
  it.prop(
    "are encoded on the write path exactly as the codecs encode them",
    [Arbitrary.schema(Task)],
    ([task]) => {
      expect(asJson(jsonColumns(task))).toEqual(asJson(byCodec(task)))
    },
    { arbitrary: { runs: 200 } },
  )
})
