// The adapter kit's RateBudgets kept in the database, so every process on one PostgreSQL draws on the same vendor
// budget (several workers would otherwise each spend it in full); and the choice between it and the in-memory one.
import { type Limiter, RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { Database } from "@taskbridge/db/Database"
import { RateBudgetRepository, type Window } from "@taskbridge/db/RateBudgetRepository"
import { Effect, Layer, Schedule, Semaphore } from "effect"

// A database error is not a reason to call the vendor unmetered, and `Limiter.take` has no error channel: the take
// keeps waiting, as it would for a full window, and resumes when the database answers again. Callers bound the wait
// with their own timeout (Candid's client times out the take and the request together, a retryable failure).
const whileDatabaseFails = Schedule.min([Schedule.exponential("100 millis"), Schedule.spaced("5 seconds")]).pipe(
  Schedule.jittered,
)

const makeLimiter = (repository: RateBudgetRepository["Service"], key: string, window: Window): Limiter => {
  const ask = repository.take(key, window).pipe(
    Effect.tapError((error) => Effect.logWarning("rate budget unavailable, waiting for the database", error)),
    Effect.retry(whileDatabaseFails),
    Effect.orDie,
  )
  // One fiber per key in this process asks and sleeps at a time: callers are served in arrival order, and a full
  // window costs one query per process on each wake-up instead of one per waiting fiber. The sleep holds no
  // connection; the answer is a duration, so this process's clock never has to agree with the database's.
  const lock = Semaphore.makeUnsafe(1)
  const take = lock.withPermits(1)(
    Effect.gen(function* () {
      for (let wait = yield* ask; wait > 0; wait = yield* ask) yield* Effect.sleep(wait)
    }),
  )
  return { take }
}

/** RateBudgets on `RateBudgetRepository`: one budget per key across every process that shares the database. */
export const layer = Layer.effect(
  RateBudgets,
  Effect.gen(function* () {
    const repository = yield* RateBudgetRepository
    const limiters = new Map<string, Limiter>()
    // Keyed like the in-memory registry (key and budget): a window shorter than another's would otherwise expire
    // slots that the longer one still counts.
    const limiter = (key: string, window: Window) =>
      Effect.sync(() => {
        const id = `${key}:${window.requests}/${window.perMillis}`
        const existing = limiters.get(id)
        if (existing !== undefined) return existing
        const created = makeLimiter(repository, id, window)
        limiters.set(id, created)
        return created
      })
    return RateBudgets.of({ limiter })
  }),
)

/**
 * In memory on embedded PGlite, in the database on PostgreSQL. PGlite has exactly one process (it owns the data dir
 * and its socket admits one connection), so its in-memory registry already is the shared budget, and a round trip
 * per vendor request through a pool of one connection would only queue behind the engine's own statements.
 * PostgreSQL may have several processes (workers, the API) whatever runtime shape this one runs.
 */
export const layerForDatabase: Layer.Layer<RateBudgets, never, Database | RateBudgetRepository> = Layer.unwrap(
  Effect.gen(function* () {
    const { backend } = yield* Database
    return backend._tag === "embedded" ? RateBudgets.layer : layer
  }),
)
