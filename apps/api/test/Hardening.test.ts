// The hardening findings, each reproduction as a test over real HTTP against the CareValidate emulator: bounded
// request bodies (413, the API keeps answering), every input's maxima, NUL and lone surrogates refused by field,
// out-of-range years refused, connection base URLs under the egress policy (no internal targets, https, no userinfo)
// and vendor bodies never echoed, a revoked token ending its event stream, and webhook replays and oversized
// deliveries answered without multiplying vendor calls or resetting the connection.
import { createHmac } from "node:crypto"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { backends } from "@taskbridge/db/testing/Backends"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { AppRouter } from "../src/Router.ts"
import { type ApiServer, listen } from "../src/Server.ts"
import { type Harness, startHarness } from "./support/harness.ts"

const secret = "whsec-hardening"

type Client = ReturnType<typeof createTRPCClient<AppRouter>>

/** The tRPC error a call fails with (the test fails if it succeeds). */
const refusal = async (call: Promise<unknown>) => {
  try {
    await call
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>
    throw error
  }
  throw new Error("expected the call to be refused")
}

/** A plain HTTP server on loopback answering every request with `status` and `body`. */
const fakeVendor = (status: number, body: string) =>
  new Promise<{ url: string; server: Server; hits: () => number }>((resolve) => {
    let hits = 0
    const server = createServer((_, response) => {
      hits += 1
      response.writeHead(status, { "content-type": "text/plain" })
      response.end(body)
    })
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => hits }),
    )
  })

for (const backend of backends) {
  describe(`hardening on ${backend.name}`, () => {
    let harness: Harness
    let server: ApiServer
    let careValidate: Awaited<ReturnType<typeof startCareValidate>>
    let admin: string
    let organization: Awaited<ReturnType<Harness["organization"]>>["id"]
    let connectionId: string

    const client = (bearer: string): Client =>
      createTRPCClient<AppRouter>({
        links: [httpLink({ url: `${server.url}/trpc`, headers: () => ({ authorization: `Bearer ${bearer}` }) })],
      })

    beforeAll(async () => {
      careValidate = await startCareValidate({ port: 0, seed: 21, size: 20 })
      harness = await startHarness(backend)
      server = await listen(harness.runtime, { port: 0 })
      const org = await harness.organization("hardening")
      admin = org.token
      organization = org.id
      const tenant = careValidate.state().store.orgs[0]
      if (tenant === undefined) throw new Error("no CareValidate organization")
      connectionId = (
        await client(admin).connections.create.mutate({
          vendor: "carevalidate",
          name: "CareValidate",
          baseUrl: careValidate.url,
          credentials: { apiKey: tenant.apiKey, webhookSecret: secret },
        })
      ).id
      await eventually("the backfill", async () => {
        const [status] = await client(admin).sync.status.query()
        return status?.backfill?.state === "succeeded" ? status : undefined
      })
    }, 120_000)

    afterAll(async () => {
      await server?.close()
      await harness?.close()
      await careValidate?.close()
    })

    it("refuses a 40 MiB body with 413 before parsing it, and keeps answering meanwhile", async () => {
      const huge = JSON.stringify({ title: "Big", description: "x".repeat(40 * 1024 * 1024) })
      const [big, health] = await Promise.all([
        fetch(`${server.url}/trpc/tasks.create`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
          body: huge,
        }).catch((error: unknown) => error),
        fetch(`${server.url}/healthz`),
      ])
      expect(health.status).toBe(200)
      expect(big instanceof Response ? big.status : String(big)).toBe(413)
      // Nothing was stored, and the inbox still reads.
      const listed = await client(admin).tasks.list.query({ filter: { text: "Big" } })
      expect(listed.items.filter((t) => t.title === "Big")).toEqual([])
    })

    it("gives every string and list a maximum, named with its field in the refusal", async () => {
      const api = client(admin)
      const long = await refusal(api.tasks.create.mutate({ title: "Long", description: "d".repeat(50_001) }))
      expect(long.data?.code).toBe("BAD_REQUEST")
      expect(long.message).toContain("description")
      expect(long.message).toContain("50000")
      const tags = await refusal(
        api.tasks.create.mutate({ title: "Tags", tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }),
      )
      expect(tags.message).toContain("tags")
      const [task] = (await api.tasks.list.query({ filter: { kinds: ["escalation"] }, limit: 1 })).items
      if (task === undefined) throw new Error("no escalation")
      const note = await refusal(
        api.tasks.update.mutate({ id: task.id, expectedVersion: task.version, patch: { note: "n".repeat(20_001) } }),
      )
      expect(note.message).toContain("patch.note")
      const name = await refusal(api.tokens.issue.mutate({ name: "n".repeat(201), role: "viewer" }))
      expect(name.message).toContain("name")
      const search = await refusal(api.tasks.list.query({ filter: { text: "s".repeat(201) } }))
      expect(search.message).toContain("filter.text")
      // The escalation is untouched and nothing was queued for CareValidate.
      expect((await api.tasks.get.query({ id: task.id })).version).toBe(task.version)
    })

    it("refuses NUL bytes and lone surrogates as invalid input naming the field, everywhere, never a 500", async () => {
      const api = client(admin)
      const [task] = (await api.tasks.list.query({ filter: { kinds: ["escalation"] }, limit: 1 })).items
      if (task === undefined) throw new Error("no escalation")
      const cases: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
        ["title", () => api.tasks.create.mutate({ title: "Nul\u0000here" })],
        ["description", () => api.tasks.create.mutate({ title: "Ok", description: "half \ud800 a pair" })],
        [
          "patch.description",
          () =>
            api.tasks.update.mutate({ id: task.id, expectedVersion: task.version, patch: { description: "a\u0000" } }),
        ],
        [
          "patch.note",
          () => api.tasks.update.mutate({ id: task.id, expectedVersion: task.version, patch: { note: "\udc00" } }),
        ],
        ["name", () => api.tokens.issue.mutate({ name: "tok\u0000en", role: "viewer" })],
        [
          "name",
          () =>
            api.connections.create.mutate({
              vendor: "carevalidate",
              name: "Care\ud83dValidate",
              baseUrl: careValidate.url,
              credentials: { apiKey: "k" },
            }),
        ],
        [
          "options.(key)",
          () =>
            api.connections.create.mutate({
              vendor: "carevalidate",
              name: "Keys",
              baseUrl: careValidate.url,
              credentials: { apiKey: "k" },
              options: { "bad\u0000key": 1 },
            }),
        ],
        ["filter.text", () => api.tasks.list.query({ filter: { text: "\u0000" } })],
      ]
      for (const [field, call] of cases) {
        const refused = await refusal(call())
        expect(refused.data?.code, field).toBe("BAD_REQUEST")
        expect(refused.message, field).toContain(field)
        expect(refused.message, field).toMatch(/NUL|unpaired surrogates/)
      }
      expect((await api.tasks.get.query({ id: task.id })).version).toBe(task.version)
      expect((await api.connections.list.query()).map((c) => c.name)).toEqual(["CareValidate"])
    })

    it("refuses years no vendor or database holds, in due filters and in dues", async () => {
      const api = client(admin)
      for (const at of ["-271821-04-20T00:00:00.000Z", "+200000-01-01T00:00:00.000Z", "+010000-01-01T00:00:00.000Z"]) {
        const filter = await refusal(api.tasks.list.query({ filter: { dueFrom: at } }))
        expect(filter.data?.code).toBe("BAD_REQUEST")
        expect(filter.message).toContain("filter.dueFrom")
        const due = await refusal(api.tasks.create.mutate({ title: "Far", due: { _tag: "Instant", at } }))
        expect(due.data?.code).toBe("BAD_REQUEST")
        expect(due.message).toContain("due")
      }
      expect((await api.tasks.list.query({ filter: { dueFrom: "2025-01-01T00:00:00.000Z" } })).items).toBeDefined()
    })

    it("refuses base URLs aimed inside, over plain http or carrying a password, on create and update", async () => {
      const api = client(admin)
      const refusedUrls = [
        ["http://127.0.0.2:5432", "internal address"],
        ["http://[::1]:6379", "internal address"],
        ["http://localhost:4000/trpc", "this machine"],
        ["https://169.254.169.254/latest/meta-data", "internal address"],
        ["https://10.0.0.8", "internal address"],
        ["http://care360.example.com", "https"],
        ["https://user:pass@care360.example.com", "password"],
      ] as const
      for (const [baseUrl, why] of refusedUrls) {
        const created = await refusal(
          api.connections.create.mutate({
            vendor: "carevalidate",
            name: "Aimed",
            baseUrl,
            credentials: { apiKey: "k" },
          }),
        )
        expect(created.data?.code, baseUrl).toBe("BAD_REQUEST")
        expect(created.message, baseUrl).toContain("baseUrl (egress)")
        expect(created.message, baseUrl).toContain(why)
        expect(created.message, baseUrl).not.toContain("pass@")
        const updated = await refusal(api.connections.update.mutate({ id: connectionId, baseUrl }))
        expect(updated.message, baseUrl).toContain("baseUrl (egress)")
      }
      expect((await api.connections.list.query()).map((c) => c.baseUrl)).toEqual([careValidate.url])
    })

    it("never echoes what a vendor address answered, to an operator or a viewer", async () => {
      const marker = "SSH-2.0-OpenSSH_9.2p1 redis_version:7.2 -ERR unknown command"
      const echo = await fakeVendor(500, marker)
      try {
        const api = client(admin)
        const aimed = await api.connections.create.mutate({
          vendor: "carevalidate",
          name: "Echo",
          baseUrl: echo.url,
          credentials: { apiKey: "k" },
        })
        const tested = await api.connections.test.mutate({ id: aimed.id }).catch((error: unknown) => error)
        expect(JSON.stringify(tested instanceof Error ? tested.message : tested)).not.toContain("OpenSSH")
        const viewer = client(await harness.token(organization, "viewer"))
        const status = await eventually("the failed pull", async () => {
          const row = (await viewer.sync.status.query()).find((s) => s.connectionId === aimed.id)
          return row?.lastRun?.state === "failed" ? row : undefined
        })
        expect(JSON.stringify(status)).not.toContain("OpenSSH")
        expect(JSON.stringify(status)).not.toContain("redis")
        expect(status.lastRun?.error).toContain("carevalidate")
        await api.connections.pause.mutate({ id: aimed.id })
      } finally {
        echo.server.close()
      }
    })

    it("ends a revoked token's open event stream, and the stream then refuses the token", async () => {
      const api = client(admin)
      const viewer = await harness.token(organization, "viewer", "stream viewer")
      const abort = new AbortController()
      const response = await fetch(`${server.url}/trpc/events?input=${encodeURIComponent("{}")}`, {
        headers: { authorization: `Bearer ${viewer}`, accept: "text/event-stream" },
        signal: abort.signal,
      })
      expect(response.status).toBe(200)
      const reader = response.body?.getReader()
      if (reader === undefined) throw new Error("no stream")
      const decoder = new TextDecoder()
      let received = ""
      const ended = (async () => {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return "closed"
          received += decoder.decode(value)
          if (received.includes("UNAUTHORIZED")) return "refused"
        }
      })()
      // The stream is live (its first events arrive) before the token is revoked.
      await eventually("the first event", async () => (received.length > 0 ? true : undefined))
      const [info] = (await api.tokens.list.query()).filter((t) => t.name === "stream viewer")
      await api.tokens.revoke.mutate({ id: info?.id ?? "" })
      const outcome = await Promise.race([
        ended,
        new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 5_000)),
      ])
      abort.abort()
      expect(outcome).not.toBe("still open")
    })

    it("answers a replayed delivery without a pull and coalesces a burst, and gives an oversized body 413", async () => {
      const url = `${server.url}/webhooks/carevalidate/${connectionId}`
      const body = JSON.stringify({ event: "ESCALATE_CASE", payload: { case: { id: "replayed" } }, sentAt: Date.now() })
      const signature = createHmac("sha256", secret).update(body).digest("hex")
      const since = careValidate.control.requests.nextSeq() - 1
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(url, { method: "POST", headers: { "x-cv-signature": signature }, body }).then(
            async (r) => [r.status, (await r.json()) as { pulled: boolean }] as const,
          ),
        ),
      )
      expect(answers.every(([status]) => status === 202)).toBe(true)
      expect(answers.filter(([, b]) => b.pulled)).toHaveLength(1)
      await eventually("the one webhook pull", async () => {
        const last = (await client(admin).sync.status.query()).find((s) => s.connectionId === connectionId)?.lastRun
        return last?.kind === "webhook" && last.state !== "running" ? last : undefined
      })
      // One pull's worth of listing calls, not fifty.
      const listings = careValidate.control.requests.list({ since }).filter((r) => r.method === "GET")
      expect(listings.length).toBeLessThan(20)

      const oversized = "x".repeat(2 * 1024 * 1024)
      const big = await fetch(url, {
        method: "POST",
        headers: { "x-cv-signature": createHmac("sha256", secret).update(oversized).digest("hex") },
        body: oversized,
      })
      expect(big.status).toBe(413)
      expect(((await big.json()) as { error: string }).error).toContain("larger than")
    })
  })
}
