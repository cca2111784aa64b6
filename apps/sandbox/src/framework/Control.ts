// The `/_sandbox/` HTTP control API shared by every emulator (not part of any vendor contract): reset, faults,
// request log, clock, the vendor rate limit and staff activity. Bodies and answers are camelCase JSON; errors are
// `{error}` with 400.
import { parseFaultSpec } from "./Faults.ts"
import { isRecord, json, type Route, type SandboxRequest, type SandboxResponse } from "./Http.ts"
import type { SandboxControl } from "./Sandbox.ts"

/** Thrown by control handlers for a bad body; the server turns it into 400 `{error}`. */
export class ControlInputError extends Error {}

/** A control request's JSON object body ({} when empty); anything else is a 400. */
export const controlBody = (request: SandboxRequest): Record<string, unknown> => {
  if (request.body === undefined) return {}
  if (!isRecord(request.body)) throw new ControlInputError("body must be a JSON object")
  return request.body
}

const optionalNumber = (source: Record<string, unknown>, key: string): number | undefined => {
  const value = source[key]
  if (value === undefined) return undefined
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ControlInputError(`${key} must be a number`)
  return value
}

const requiredNumber = (source: Record<string, unknown>, key: string): number => {
  const value = optionalNumber(source, key)
  if (value === undefined) throw new ControlInputError(`${key} is required`)
  return value
}

const queryNumber = (request: SandboxRequest, key: string): number | undefined => {
  const raw = request.query.get(key)
  if (raw === null) return undefined
  const value = Number(raw)
  if (!Number.isFinite(value)) throw new ControlInputError(`${key} must be a number`)
  return value
}

const stringList = (source: Record<string, unknown>, key: string): ReadonlyArray<string> | undefined => {
  const value = source[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new ControlInputError(`${key} must be a list of strings`)
  }
  return value
}

const ok = (value: unknown): SandboxResponse => json(200, value)

const guarded = (run: () => unknown): SandboxResponse => {
  try {
    return ok(run())
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw new ControlInputError(error.message)
    throw error
  }
}

const route = (method: string, pattern: string, handler: Route<SandboxControl>["handler"]): Route<SandboxControl> => ({
  method,
  pattern: `/_sandbox${pattern}`,
  handler,
})

export const controlRoutes: ReadonlyArray<Route<SandboxControl>> = [
  route("GET", "", (_, control) => ok(control.info())),
  route("POST", "/reset", (request, control) => {
    const input = controlBody(request)
    const seed = optionalNumber(input, "seed")
    const size = optionalNumber(input, "size")
    return ok(control.reset({ ...(seed === undefined ? {} : { seed }), ...(size === undefined ? {} : { size }) }))
  }),
  route("GET", "/faults", (_, control) => ok({ faults: control.faults.list() })),
  route("POST", "/faults", (request, control) =>
    guarded(() => control.faults.add(parseFaultSpec(controlBody(request)))),
  ),
  route("DELETE", "/faults", (_, control) => {
    control.faults.clear()
    return ok({ faults: [] })
  }),
  route("DELETE", "/faults/:id", (request, control) =>
    ok({ removed: control.faults.remove(Number(request.params.id)) }),
  ),
  route("GET", "/requests", (request, control) => {
    const since = queryNumber(request, "since")
    const limit = queryNumber(request, "limit")
    const entries = control.requests.list({
      ...(since === undefined ? {} : { since }),
      ...(limit === undefined ? {} : { limit }),
    })
    return ok({ entries, nextSeq: control.requests.nextSeq() })
  }),
  route("DELETE", "/requests", (_, control) => {
    control.requests.clear()
    return ok({ entries: [], nextSeq: control.requests.nextSeq() })
  }),
  route("GET", "/clock", (_, control) => ok(clockView(control))),
  route("POST", "/clock/advance", (request, control) =>
    guarded(() => {
      control.clock.advance(requiredNumber(controlBody(request), "ms"))
      return clockView(control)
    }),
  ),
  route("GET", "/rate-limit", (_, control) => ok(control.rateLimit.status())),
  // `{limit?, windowMs?}`: on again, the vendor's documented figures filling in what the body leaves out.
  route("POST", "/rate-limit", (request, control) =>
    guarded(() => {
      const input = controlBody(request)
      const { documented } = control.rateLimit
      const limit = optionalNumber(input, "limit") ?? (documented === false ? undefined : documented.limit)
      const windowMs = optionalNumber(input, "windowMs") ?? (documented === false ? undefined : documented.windowMs)
      if (limit === undefined || windowMs === undefined) {
        throw new ControlInputError("this vendor documents no rate limit: give limit and windowMs")
      }
      return control.rateLimit.set({ limit, windowMs })
    }),
  ),
  route("DELETE", "/rate-limit", (_, control) => ok(control.rateLimit.set(false))),
  route("GET", "/activity", (_, control) => ok(control.activity.status())),
  route("POST", "/activity", (request, control) =>
    guarded(() => control.activity.start(requiredNumber(controlBody(request), "ratePerSecond"))),
  ),
  route("DELETE", "/activity", (_, control) => ok(control.activity.stop())),
  route("POST", "/activity/step", (request, control) =>
    guarded(() => {
      const input = controlBody(request)
      const id = input.id
      if (id !== undefined && typeof id !== "string") throw new ControlInputError("id must be a string")
      const events = control.activity.step(optionalNumber(input, "count") ?? 1, {
        kinds: stringList(input, "kinds"),
        id,
      })
      return { events }
    }),
  ),
]

const clockView = (control: SandboxControl) => {
  const now = control.clock.now()
  return { now, iso: new Date(now).toISOString(), offsetMs: control.clock.offsetMs() }
}
