// The console's side of the API over real HTTP: browser sessions (token → httpOnly SameSite cookie, who am I, sign
// out, a revoked token ends its sessions), the CSRF rule for cookie-authenticated changes (Bearer unaffected), the
// one-time sign-in link (works once, then refused with a clear message), the `events` stream on a cookie, and the
// built console served with its content types, SPA fallback and security headers — or a 503 page when not built.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { backends } from "@taskbridge/db/testing/Backends"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { signInLink } from "../src/Demo.ts"
import { type ApiServer, listen } from "../src/Server.ts"
import { type Harness, startHarness } from "./support/harness.ts"

const cookieOf = (response: Response) => (response.headers.get("set-cookie") ?? "").split(";")[0] ?? ""

for (const backend of backends) {
  describe(`the console's HTTP surface on ${backend.name}`, () => {
    let harness: Harness
    let server: ApiServer
    let bare: ApiServer
    let dir: string
    let token: string

    const signIn = async (value: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/session`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-taskbridge-csrf": "1", ...headers },
        body: JSON.stringify({ token: value }),
      })
    const trpcGet = (path: string, cookie: string, input: unknown = {}) =>
      fetch(`${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie } })
    const trpcPost = (path: string, headers: Record<string, string>, input: unknown) =>
      fetch(`${server.url}/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(input),
      })

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "taskbridge-console-"))
      await mkdir(join(dir, "assets"))
      await writeFile(join(dir, "index.html"), "<!doctype html><title>console</title><div id=root></div>")
      await writeFile(join(dir, "assets", "app-abc123.js"), "console.log('console')")
      await writeFile(join(dir, "assets", "app-abc123.css"), "body{}")
      harness = await startHarness(backend)
      server = await listen(harness.runtime, { port: 0, consoleDir: dir })
      bare = await listen(harness.runtime, { port: 0, consoleDir: join(dir, "missing") })
      token = (await harness.organization("console")).token
    }, 120_000)

    afterAll(async () => {
      await server?.close()
      await bare?.close()
      await harness?.close()
      await rm(dir, { recursive: true, force: true })
    })

    it("signs a browser in with a token: an httpOnly, SameSite=Strict cookie holding a session id, not the token", async () => {
      expect((await signIn("tb_not-a-token")).status).toBe(401)
      const response = await signIn(token)
      expect(response.status).toBe(200)
      const header = response.headers.get("set-cookie") ?? ""
      expect(header).toMatch(/^taskbridge_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict/)
      expect(header).not.toContain(token)
      expect(header).not.toContain("Secure")
      const body = (await response.json()) as { role: string; tokenName: string; organization: { name: string } }
      expect(body).toMatchObject({ role: "admin", tokenName: "admin token", organization: { name: "console" } })
      const who = await fetch(`${server.url}/session`, { headers: { cookie: cookieOf(response) } })
      expect(await who.json()).toMatchObject({ role: "admin", tokenName: "admin token" })
      expect((await fetch(`${server.url}/session`)).status).toBe(401)
    })

    it("marks the cookie Secure (with the __Host- prefix) when served over https", async () => {
      const response = await signIn(token, { "x-forwarded-proto": "https" })
      expect(response.headers.get("set-cookie")).toMatch(
        /^__Host-taskbridge_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
      )
    })

    it("refuses a sign-in without the CSRF header or from another origin", async () => {
      const plain = await fetch(`${server.url}/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
      })
      expect(plain.status).toBe(403)
      expect(plain.headers.get("set-cookie")).toBeNull()
      expect((await signIn(token, { origin: "https://evil.example" })).status).toBe(403)
      expect((await signIn(token, { "sec-fetch-site": "cross-site" })).status).toBe(403)
    })

    it("accepts the cookie for tRPC queries; a change needs the CSRF header and this origin, a Bearer call does not", async () => {
      const cookie = cookieOf(await signIn(token))
      const list = await trpcGet("tasks.list", cookie)
      expect(list.status).toBe(200)
      const input = { name: "from the console", role: "viewer" }
      const noHeader = await trpcPost("tokens.issue", { cookie }, input)
      expect(noHeader.status).toBe(403)
      expect(await noHeader.text()).toContain("x-taskbridge-csrf")
      const foreign = await trpcPost("tokens.issue", { cookie, "x-taskbridge-csrf": "1", origin: "http://evil" }, input)
      expect(foreign.status).toBe(403)
      const own = new URL(server.url).origin
      const allowed = await trpcPost("tokens.issue", { cookie, "x-taskbridge-csrf": "1", origin: own }, input)
      expect(allowed.status).toBe(200)
      const bearer = await trpcPost("tokens.issue", { authorization: `Bearer ${token}` }, input)
      expect(bearer.status).toBe(200)
      // A wrong Bearer header is not rescued by a valid cookie.
      const wrong = await fetch(`${server.url}/trpc/tasks.list?input=%7B%7D`, {
        headers: { cookie, authorization: "Bearer tb_wrong" },
      })
      expect(wrong.status).toBe(401)
    })

    it("signs out: the cookie is cleared and the session no longer works", async () => {
      const cookie = cookieOf(await signIn(token))
      const out = await fetch(`${server.url}/session`, {
        method: "DELETE",
        headers: { cookie, "x-taskbridge-csrf": "1" },
      })
      expect(out.status).toBe(200)
      expect(out.headers.get("set-cookie")).toMatch(/^taskbridge_session=; .*Max-Age=0/)
      expect((await fetch(`${server.url}/session`, { headers: { cookie } })).status).toBe(401)
      expect((await trpcGet("tasks.list", cookie)).status).toBe(401)
    })

    it("ends every session of a token when the token is revoked, and the events stream with it", async () => {
      const org = await harness.organization("revoked")
      const cookie = cookieOf(await signIn(org.token))
      const stream = await fetch(`${server.url}/trpc/events?input=${encodeURIComponent("{}")}`, {
        headers: { cookie },
      })
      expect(stream.status).toBe(200)
      expect(stream.headers.get("content-type")).toContain("text/event-stream")
      const admin = await harness.caller(org.token)
      const [mine] = await admin.tokens.list()
      await admin.tokens.revoke({ id: mine?.id ?? "" })
      expect((await fetch(`${server.url}/session`, { headers: { cookie } })).status).toBe(401)
      expect((await trpcGet("tasks.list", cookie)).status).toBe(401)
      // The stream says why and ends (it re-verifies its session on every poll).
      const text = await Promise.race([
        stream.text(),
        new Promise<string>((resolve) => setTimeout(() => resolve("(still open)"), 10_000)),
      ])
      expect(text).toContain("the token was revoked or the session ended")
    }, 20_000)

    it("exchanges a one-time sign-in link once, then refuses it with a clear message", async () => {
      const link = await harness.runtime.runPromise(signInLink(token, server.url, 600))
      const url = new URL(link)
      expect(url.pathname).toBe("/signin")
      const code = url.hash.slice(1)
      expect(code.length).toBeGreaterThan(30)
      const exchange = () =>
        fetch(`${server.url}/session/link`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-taskbridge-csrf": "1" },
          body: JSON.stringify({ code }),
        })
      const first = await exchange()
      expect(first.status).toBe(200)
      const cookie = cookieOf(first)
      expect(cookie).toMatch(/^taskbridge_session=/)
      expect(cookie).not.toContain(code)
      expect((await trpcGet("tasks.list", cookie)).status).toBe(200)
      const second = await exchange()
      expect(second.status).toBe(410)
      expect(((await second.json()) as { error: string }).error).toContain("already used")
      expect(second.headers.get("set-cookie")).toBeNull()
      const unknown = await fetch(`${server.url}/session/link`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-taskbridge-csrf": "1" },
        body: JSON.stringify({ code: "never-issued-code-0123456789" }),
      })
      expect(unknown.status).toBe(404)
    })

    it("refuses an expired sign-in link", async () => {
      const link = await harness.runtime.runPromise(signInLink(token, server.url, 0))
      const expired = await fetch(`${server.url}/session/link`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-taskbridge-csrf": "1" },
        body: JSON.stringify({ code: new URL(link).hash.slice(1) }),
      })
      expect(expired.status).toBe(410)
      expect(((await expired.json()) as { error: string }).error).toContain("expired")
    })

    it("serves the sign-in page with a CSP that allows only its own script by hash", async () => {
      const page = await fetch(`${server.url}/signin`)
      expect(page.status).toBe(200)
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8")
      expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/)
      expect(page.headers.get("referrer-policy")).toBe("no-referrer")
      const html = await page.text()
      expect(html).toContain("/session/link")
      expect(html).toContain("history.replaceState")
    })

    it("serves the built console with content types, SPA fallback and security headers", async () => {
      const index = await fetch(`${server.url}/`)
      expect(index.status).toBe(200)
      expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8")
      expect(index.headers.get("cache-control")).toBe("no-cache")
      expect(index.headers.get("content-security-policy")).toContain("default-src 'self'")
      expect(index.headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
      expect(index.headers.get("x-content-type-options")).toBe("nosniff")
      expect(index.headers.get("referrer-policy")).toBe("no-referrer")
      expect(await index.text()).toContain("<title>console</title>")
      const script = await fetch(`${server.url}/assets/app-abc123.js`)
      expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8")
      expect(script.headers.get("cache-control")).toContain("immutable")
      expect(await script.text()).toBe("console.log('console')")
      expect((await fetch(`${server.url}/assets/app-abc123.css`)).headers.get("content-type")).toBe(
        "text/css; charset=utf-8",
      )
      const route = await fetch(`${server.url}/tasks/some-id?view=overdue`)
      expect(route.status).toBe(200)
      expect(await route.text()).toContain("<title>console</title>")
      // Nothing outside the console's folder is reachable, however the path is spelled.
      for (const path of ["/..%2F..%2Fpackage.json", "/%2e%2e/%2e%2e/package.json", "/assets/..%2F..%2Findex.html"]) {
        const escaped = await fetch(`${server.url}${path}`)
        expect(await escaped.text(), path).toContain("<title>console</title>")
      }
      // API paths keep their own answers.
      expect((await fetch(`${server.url}/healthz`)).headers.get("content-type")).toBe("application/json")
      expect((await fetch(`${server.url}/webhooks/candid/x`)).status).toBe(404)
      expect((await fetch(`${server.url}/`, { method: "POST" })).status).toBe(404)
    })

    it("answers a helpful 503 page when the console is not built", async () => {
      const page = await fetch(`${bare.url}/inbox`)
      expect(page.status).toBe(503)
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8")
      expect(page.headers.get("x-content-type-options")).toBe("nosniff")
      expect(await page.text()).toContain("pnpm --filter @taskbridge/admin build")
    })
  })
}
