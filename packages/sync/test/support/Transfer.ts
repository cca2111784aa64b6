// The workflow the runtime tests run, in-process and in the crash fixture: one activity that applies a side effect
// keyed by its idempotency key, may fail transiently first, and may wait at a gate the test controls.
// The ledger tables make every attempt and every applied effect countable from outside the process.
import { randomUUID } from "node:crypto"
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Activity from "effect/workflow/Activity"
import * as Workflow from "effect/workflow/Workflow"

export class Transient extends Schema.TaggedError<Transient>()("Transient", { attempt: Schema.Number }) {}

export const Transfer = Workflow.make("RuntimeTest/Transfer", {
  payload: { id: Schema.String, amount: Schema.Number, failures: Schema.Number },
  success: Schema.Struct({ attempt: Schema.Number, nonce: Schema.String }),
  error: Transient,
  idempotencyKey: ({ id }) => id,
})

/** Where the activity waits after applying its effect; tests open it, the crash fixture blocks on a file. */
export class Gate extends Context.Service<Gate, { readonly pass: (id: string) => Effect.Effect<void> }>()(
  "@taskbridge/sync/test/Gate",
) {}

export const openGate = Layer.succeed(Gate, { pass: () => Effect.void })

export const setupLedger = Effect.fn("Ledger.setup")(function* () {
  const sql = yield* SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS ledger_attempts (transfer_id text NOT NULL, attempt int NOT NULL)`
  // The idempotent side effect: one row per effect key, whatever the number of attempts.
  yield* sql`CREATE TABLE IF NOT EXISTS ledger_effects (effect_key text PRIMARY KEY, transfer_id text NOT NULL,
    amount int NOT NULL)`
  // The same effect without the key, as a control: it counts what a non-idempotent write would have done.
  yield* sql`CREATE TABLE IF NOT EXISTS ledger_naive (transfer_id text PRIMARY KEY, applied int NOT NULL)`
})

export interface Counts {
  readonly attempts: number
  readonly effects: number
  readonly naive: number
}

export const counts = Effect.fn("Ledger.counts")(function* (id: string) {
  const sql = yield* SqlClient
  const rows = yield* sql<{ attempts: number; effects: number; naive: number }>`SELECT
    (SELECT count(*)::int FROM ledger_attempts WHERE transfer_id = ${id}) AS attempts,
    (SELECT count(*)::int FROM ledger_effects WHERE transfer_id = ${id}) AS effects,
    (SELECT coalesce(max(applied), 0)::int FROM ledger_naive WHERE transfer_id = ${id}) AS naive`
  const row = rows[0]
  return { attempts: row?.attempts ?? -1, effects: row?.effects ?? -1, naive: row?.naive ?? -1 } satisfies Counts
})

const apply = Effect.fn("Transfer.apply")(function* (id: string, amount: number, failures: number) {
  const sql = yield* SqlClient
  const attempt = yield* Activity.CurrentAttempt
  // Attempt-independent: every retry and every replay after a crash computes the same key.
  const key = yield* Activity.idempotencyKey("apply")
  yield* Effect.orDie(sql`INSERT INTO ledger_attempts (transfer_id, attempt) VALUES (${id}, ${attempt})`)
  yield* sql
    .withTransaction(
      Effect.andThen(
        sql`INSERT INTO ledger_effects (effect_key, transfer_id, amount) VALUES (${key}, ${id}, ${amount})
        ON CONFLICT (effect_key) DO NOTHING`,
        sql`INSERT INTO ledger_naive (transfer_id, applied) VALUES (${id}, 1)
        ON CONFLICT (transfer_id) DO UPDATE SET applied = ledger_naive.applied + 1`,
      ),
    )
    .pipe(Effect.orDie)
  // The failure comes after the write, like a vendor that applied a change but whose answer was lost.
  if (attempt <= failures) return yield* new Transient({ attempt })
  yield* (yield* Gate).pass(id)
  return { attempt, nonce: randomUUID() }
})

export const TransferLayer = Transfer.toLayer(
  Effect.fn("Transfer.execute")(function* ({ id, amount, failures }) {
    const activity = Activity.make({
      name: "apply",
      success: Transfer.successSchema,
      error: Transient,
      execute: apply(id, amount, failures),
    })
    return yield* activity.pipe(Activity.retry({ times: 5 }))
  }),
)
