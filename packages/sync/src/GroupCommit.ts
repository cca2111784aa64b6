// Group commit by key: what is submitted for a key while a batch of that key runs waits, and runs with the others
// that came meanwhile in the next batch. A lone item runs at once (nothing waits for company); a burst becomes a few
// batches instead of one per item. Used for the push answers of one connection: their transactions take the
// connection's link lock one after another anyway, so the answers that queue behind the lock are stored together.
import { Deferred, Effect, Exit, FiberSet, type Scope } from "effect"

export interface GroupCommit<K, I, A, E, R> {
  /** Runs `item` in the next batch of `key` and answers its own outcome. */
  readonly submit: (key: K, item: I) => Effect.Effect<A, E, R>
}

interface Waiting<I, A, E> {
  readonly item: I
  readonly done: Deferred.Deferred<A, E>
}

/**
 * `run` answers one exit per item, in the items' order; it decides how a failure of the batch falls on its items
 * (the push settles them one by one then, so each meets only its own). The batches of a key run one at a time, in
 * the order their items came, each in a fiber of the scope (the engine's), so a waiter that is interrupted leaves
 * the others' batch running.
 */
export const make = <K, I, A, E, R>(
  run: (key: K, items: ReadonlyArray<I>) => Effect.Effect<ReadonlyArray<Exit.Exit<A, E>>, never, R>,
  options: { readonly maxBatch: number },
): Effect.Effect<GroupCommit<K, I, A, E, R>, never, Scope.Scope> =>
  Effect.map(FiberSet.make(), (fibers) => {
    // A key is here while a batch of it runs or waits; its array holds the items not yet taken.
    const groups = new Map<K, Array<Waiting<I, A, E>>>()

    const settleBatch = (batch: ReadonlyArray<Waiting<I, A, E>>, exits: ReadonlyArray<Exit.Exit<A, E>>) => {
      batch.forEach((waiting, index) => {
        const exit = exits[index]
        Deferred.doneUnsafe(
          waiting.done,
          exit ?? Exit.die(new Error(`a batch answered ${exits.length} outcomes for ${batch.length} items`)),
        )
      })
    }

    const drain = (key: K): Effect.Effect<void, never, R> => {
      let taken: ReadonlyArray<Waiting<I, A, E>> = []
      return Effect.gen(function* () {
        for (;;) {
          const queue = groups.get(key)
          if (queue === undefined) return
          if (queue.length === 0) {
            groups.delete(key)
            return
          }
          const batch = queue.splice(0, options.maxBatch)
          taken = batch
          const outcome = yield* Effect.exit(
            run(
              key,
              batch.map((waiting) => waiting.item),
            ),
          )
          // A defect or an interruption of the batch itself reaches each of its items.
          settleBatch(
            batch,
            outcome._tag === "Success" ? outcome.value : batch.map(() => Exit.failCause(outcome.cause)),
          )
          taken = []
        }
      }).pipe(
        // Interrupted (the scope closes): whatever still waits is told, never left waiting for good.
        Effect.onInterrupt(() =>
          Effect.sync(() => {
            for (const waiting of [...taken, ...(groups.get(key) ?? [])])
              Deferred.doneUnsafe(waiting.done, Exit.interrupt())
            groups.delete(key)
          }),
        ),
      )
    }

    const submit = (key: K, item: I): Effect.Effect<A, E, R> =>
      Effect.suspend(() => {
        const done = Deferred.makeUnsafe<A, E>()
        const queue = groups.get(key)
        if (queue !== undefined) {
          queue.push({ item, done })
          return Deferred.await(done)
        }
        groups.set(key, [{ item, done }])
        return Effect.andThen(FiberSet.run(fibers, drain(key)), Deferred.await(done))
      })

    return { submit }
  })
