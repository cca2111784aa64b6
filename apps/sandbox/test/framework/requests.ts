// Test helpers for framework pieces used without a server: a SandboxRequest with the given headers or body (as
// the pipeline would have parsed it), a small organization directory and a tokens signed independently of the
// framework's own Jwt.ts, so a bug there cannot hide in the test.
import { createHmac } from "node:crypto"
import type { SandboxRequest } from "../../src/framework/Http.ts"
import { Organizations } from "../../src/framework/Organizations.ts"

export const request = (headers: Record<string, string> = {}, body?: unknown): SandboxRequest => ({
  method: "GET",
  path: "/api/things",
  query: new URLSearchParams(),
  params: {},
  // Node lower-cases incoming header names; so does this helper.
  headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
  body,
  clientAddress: "127.0.0.1",
})

export interface Org {
  readonly index: number
  readonly organizationId: string
  readonly name: string
  readonly apiKey: string
}

export const organizations = () =>
  new Organizations<Org>([
    { index: 0, organizationId: "org-a", name: "Alpha Clinic", apiKey: "key_alpha_0001" },
    { index: 1, organizationId: "org-b", name: "Beta Clinic", apiKey: "key_beta_0002" },
  ])

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

/** An HS256 (or other) JWT built by hand with node:crypto. */
export const handSigned = (
  claims: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: "HS256", typ: "JWT" },
  hash = "sha256",
): string => {
  const input = `${part(header)}.${part(claims)}`
  return `${input}.${createHmac(hash, secret).update(input).digest("base64url")}`
}

export const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>
