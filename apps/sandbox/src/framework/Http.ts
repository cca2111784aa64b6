// The emulators' HTTP vocabulary: request/response values, a tiny path router and body parsing (JSON or form).
// Handlers are plain functions from a parsed request to a response value, so they are easy to read and test.
import type { IncomingHttpHeaders, IncomingMessage } from "node:http"

export interface SandboxRequest {
  readonly method: string
  /** Path without the query string. */
  readonly path: string
  readonly query: URLSearchParams
  readonly params: Readonly<Record<string, string>>
  readonly headers: IncomingHttpHeaders
  /** Parsed JSON or form body; undefined when the request had none. */
  readonly body: unknown
  readonly clientAddress: string
}

export interface SandboxResponse {
  readonly status: number
  readonly body?: unknown
  /** Body text sent as is instead of `body` serialized: only corruption faults need a body that is not JSON. */
  readonly text?: string
  readonly headers?: Readonly<Record<string, string>>
}

export type Handler<C> = (request: SandboxRequest, context: C) => SandboxResponse | Promise<SandboxResponse>

export interface Route<C> {
  readonly method: string
  /** Path with `:name` segments, e.g. `/api/tasks/v3/:task_id`. */
  readonly pattern: string
  readonly handler: Handler<C>
}

export const json = (status: number, body: unknown, headers?: Readonly<Record<string, string>>): SandboxResponse =>
  headers === undefined ? { status, body } : { status, body, headers }

export type Match<C> =
  | { readonly kind: "found"; readonly route: Route<C>; readonly params: Record<string, string> }
  | { readonly kind: "wrongMethod"; readonly allow: ReadonlyArray<string> }
  | { readonly kind: "none" }

const matchPattern = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split("/")
  const got = path.split("/")
  if (want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? ""
    const g = got[i] ?? ""
    if (w.startsWith(":")) {
      if (g === "") return undefined
      params[w.slice(1)] = decodeURIComponent(g)
    } else if (w !== g) return undefined
  }
  return params
}

/** Finds the route for a request; a trailing slash is ignored, as most vendor gateways do. */
export const matchRoute = <C>(routes: ReadonlyArray<Route<C>>, method: string, path: string): Match<C> => {
  const normalized = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path
  const allow: Array<string> = []
  for (const route of routes) {
    const params = matchPattern(route.pattern, normalized)
    if (params === undefined) continue
    if (route.method === method) return { kind: "found", route, params }
    allow.push(route.method)
  }
  return allow.length > 0 ? { kind: "wrongMethod", allow } : { kind: "none" }
}

const MAX_BODY_BYTES = 1_048_576

export const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Array<Buffer> = []
  let size = 0
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buffer.length
    if (size > MAX_BODY_BYTES) throw new RangeError("request body larger than 1 MiB")
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString("utf8")
}

export type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly raw: string }

/** JSON unless the content type says form-urlencoded; an empty body parses to undefined. */
export const parseBody = (contentType: string | undefined, text: string): ParsedBody => {
  if (text.trim() === "") return { ok: true, value: undefined }
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) }
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, raw: text }
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
