// The adapter kit's RateBudgets kept in the database, so every process on one PostgreSQL draws on the same vendor
// budget (several workers would otherwise each spend it in full); and the choice between it and the in-memory one.
import { type Limiter, RateBudgets } from "@taskbridge/adapter-kit/RateBudget"
import { Database } from "@taskbridge/db/Database"
import { RateBudgetRepository, type Window } from "@taskbridge/db/RateBudgetRepository"
import { Clock, Effect, Layer, Schedule, Semaphore } from "effect"

// A database error is not a reason to call the vendor unmetered, and `Limiter.take` has no error channel: the take
// keeps waiting, as it would for a full window, and resumes when the database answers again. Callers bound the wait
// with their own timeout (Candid's client times out the take and the request together, a retryable failure).
const whileDatabaseFails = Schedule.min([Schedule.exponential("100 millis"), Schedule.spaced("5 seconds")]).pipe(
  Schedule.jittered,
)

/** How long a slot taken for a waiter that has not used it yet stays usable; then it is dropped (never sent late). */
const reserveMillis = 200
/** At most this many slots in one round trip, and never more than a tenth of the window. */
const batchCap = 32

const makeLimiter = (repository: RateBudgetRepository["Service"], key: string, window: Window): Limiter => {
  // Callers queued behind the one asking: a round trip takes a slot for each of them, so a burst of requests costs one
  // query instead of one each (under a saturated pool, one each starved the vendor). Slots are taken only for callers
  // already waiting and used at once, so none sits reserved; one not used within `reserveMillis` is dropped.
  let waiting = 0
  const reserved: Array<number> = []
  const most = Math.max(1, Math.min(batchCap, Math.floor(window.requests / 10)))
  // A slot taken ahead may be used up to `reserveMillis` after its stamp, so batches count in a window that much longer:
  // the uses in any vendor window then come from stamps inside one of ours, never more than the budget.
  const counted = most > 1 ? { requests: window.requests, perMillis: window.perMillis + reserveMillis } : window
  const ask = (want: number) =>
    repository.takeMany(key, counted, want).pipe(
      Effect.tapError((error) => Effect.logWarning("rate budget unavailable, waiting for the database", error)),
      Effect.retry(whileDatabaseFails),
      Effect.orDie,
    )
  // One fiber per key in this process asks and sleeps at a time: callers are served in arrival order, and a full
  // window costs one query per process on each wake-up instead of one per waiting fiber. The sleep holds no
  // connection; the answer is a duration, so this process's clock never has to agree with the database's.
  const lock = Semaphore.makeUnsafe(1)
  const serve = lock.withPermits(1)(
    Effect.gen(function* () {
      for (;;) {
        const now = yield* Clock.currentTimeMillis
        while (reserved.length > 0 && now - (reserved[0] ?? now) > reserveMillis) reserved.shift()
        if (reserved.shift() !== undefined) return
        const { granted, wait } = yield* ask(Math.min(most, waiting))
        const at = yield* Clock.currentTimeMillis
        // One for this caller, the rest for those queued behind it.
        for (let i = 1; i < granted; i++) reserved.push(at)
        if (granted > 0) return
        yield* Effect.sleep(wait)
      }
    }),
  )
  // `waiting` counts this caller and everyone queued behind it, until each is served or gives up.
  const take = Effect.suspend(() => {
    waiting += 1
    return Effect.ensuring(
      serve,
      Effect.sync(() => {
        waiting -= 1
      }),
    )
  })
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
