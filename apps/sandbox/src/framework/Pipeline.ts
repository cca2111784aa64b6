// How a vendor-route request is served: logged, then the added latency and faults (latency, drop, timeout, 5xx,
// 429), then the vendor's rate limit, then the handler, whose answer a corruption fault may rewrite last.
// `/_sandbox/` requests skip all of that and reach the control routes.
import type { IncomingMessage, ServerResponse } from "node:http"
import { setTimeout as sleep } from "node:timers/promises"
import { ControlInputError, controlRoutes } from "./Control.ts"
import { corruptBody } from "./Corruption.ts"
import type { BaseOptions } from "./Emulator.ts"
import { type FaultRule, isCorruption } from "./Faults.ts"
import { json, matchRoute, parseBody, readBody, type SandboxRequest, type SandboxResponse } from "./Http.ts"
import { redactBody, redactHeaders } from "./Redaction.ts"
import type { RequestLogEntry } from "./RequestLog.ts"
import type { Sandbox } from "./Sandbox.ts"

export interface PendingHolds {
  readonly add: (timer: NodeJS.Timeout) => void
  readonly delete: (timer: NodeJS.Timeout) => void
}

export const send = (res: ServerResponse, response: SandboxResponse): void => {
  const payload = response.text ?? (response.body === undefined ? "" : JSON.stringify(response.body))
  const typed = response.text !== undefined || response.body !== undefined
  const type = typed ? { "content-type": "application/json; charset=utf-8" } : {}
  res.writeHead(response.status, { ...type, ...response.headers })
  res.end(payload)
}

const isControl = (path: string) => path === "/_sandbox" || path.startsWith("/_sandbox/")

export const serve = async <S, O extends BaseOptions>(
  sandbox: Sandbox<S, O>,
  holds: PendingHolds,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> => {
  const url = new URL(req.url ?? "/", "http://sandbox.invalid")
  const text = await readBody(req)
  const parsed = parseBody(req.headers["content-type"], text)
  const request: SandboxRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    query: url.searchParams,
    params: {},
    headers: req.headers,
    body: parsed.ok ? parsed.value : parsed.raw,
    clientAddress: req.socket.remoteAddress ?? "unknown",
  }
  if (isControl(url.pathname)) return send(res, await control(sandbox, request, parsed.ok))
  const entry = sandbox.log.record({
    at: new Date(sandbox.clock.now()).toISOString(),
    method: request.method,
    path: req.url ?? "/",
    headers: redactHeaders(req.headers),
    body: redactBody(request.body ?? null),
  })
  const started = performance.now()
  const response = await vendor(sandbox, holds, request, parsed.ok, entry, res)
  entry.durationMs = Math.round(performance.now() - started)
  if (response === undefined) return
  entry.status = response.status
  send(res, response)
}

const control = async <S, O extends BaseOptions>(
  sandbox: Sandbox<S, O>,
  request: SandboxRequest,
  bodyOk: boolean,
): Promise<SandboxResponse> => {
  if (!bodyOk) return json(400, { error: "body is not valid JSON" })
  try {
    const shared = matchRoute(controlRoutes, request.method, request.path)
    if (shared.kind === "found")
      return await shared.route.handler({ ...request, params: shared.params }, sandbox.control)
    const own = matchRoute(sandbox.definition.controlRoutes, request.method, request.path)
    if (own.kind === "found") {
      return await own.route.handler({ ...request, params: own.params }, sandbox.current().state)
    }
    return json(404, { error: `no control route ${request.method} ${request.path}` })
  } catch (error) {
    if (error instanceof ControlInputError) return json(400, { error: error.message })
    throw error
  }
}

/** Answers a vendor request; undefined means the connection was dropped or held by a fault. */
const vendor = async <S, O extends BaseOptions>(
  sandbox: Sandbox<S, O>,
  holds: PendingHolds,
  request: SandboxRequest,
  bodyOk: boolean,
  entry: RequestLogEntry,
  res: ServerResponse,
): Promise<SandboxResponse | undefined> => {
  const { clock } = sandbox
  const decision = sandbox.faults.decide(request.method, request.path, clock.now())
  const delay = (sandbox.current().options.latencyMs ?? 0) + decision.latencyMs
  if (delay > 0) await sleep(delay)
  const { fault } = decision
  if (fault === undefined) return answer(sandbox, request, bodyOk)
  entry.fault = fault.kind
  const { kind, sizeBytes, field } = fault
  if (!isCorruption(kind)) return applyFault(sandbox, holds, fault, res)
  const response = await answer(sandbox, request, bodyOk)
  // A corrupted answer is still a 200: the client sees success and must notice the body is unusable.
  const text = corruptBody({ kind, sizeBytes, field }, response.body, sandbox.definition.responses.wrongType)
  return { status: 200, text, ...(response.headers === undefined ? {} : { headers: response.headers }) }
}

/** The emulator's own answer: the vendor's rate limit, then the matching route's handler. */
const answer = async <S, O extends BaseOptions>(
  sandbox: Sandbox<S, O>,
  request: SandboxRequest,
  bodyOk: boolean,
): Promise<SandboxResponse> => {
  const { definition, clock } = sandbox
  const { state } = sandbox.current()
  const key = definition.rateLimitKey?.(request, state) ?? request.clientAddress
  const verdict = sandbox.limiter()?.take(key, clock.now())
  if (verdict !== undefined && !verdict.ok)
    return definition.responses.rateLimited(Math.ceil(verdict.retryAfterMs / 1000))
  if (!bodyOk) return definition.responses.malformedBody(String(request.body))
  const match = matchRoute(definition.routes, request.method, request.path)
  if (match.kind === "none") return definition.responses.notFound(request)
  if (match.kind === "wrongMethod")
    return json(405, { message: "Method Not Allowed" }, { allow: match.allow.join(", ") })
  return match.route.handler({ ...request, params: match.params }, state)
}

const applyFault = <S, O extends BaseOptions>(
  sandbox: Sandbox<S, O>,
  holds: PendingHolds,
  fault: FaultRule,
  res: ServerResponse,
): SandboxResponse | undefined => {
  const { responses } = sandbox.definition
  switch (fault.kind) {
    case "error5xx":
      return responses.serverError(fault.status)
    case "rateLimit":
      return responses.rateLimited(fault.retryAfterSeconds)
    case "drop":
      res.socket?.destroy()
      return undefined
    case "timeout": {
      // Hold the request unanswered; the client's own timeout is what the test exercises.
      const timer = setTimeout(() => {
        holds.delete(timer)
        res.socket?.destroy()
      }, fault.holdMs)
      holds.add(timer)
      return undefined
    }
    case "latency":
    case "malformed":
    case "truncated":
    case "oversized":
    case "wrongType":
      throw new Error(`${fault.kind} never answers a request by itself`)
  }
}
