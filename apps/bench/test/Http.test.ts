// The load generators' HTTP client against a real local server: headers and bodies arrive as sent, answers come
// back whole with their status, connections are reused, and a refused connection is an error, not a hang.
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { httpClient } from "../src/Http.ts"

const seen: Array<{ method: string; url: string; auth: string | undefined; body: string; socket: unknown }> = []
const read = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = ""
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString()
    })
    request.on("end", () => resolve(body))
  })
const server = createServer(async (request, response) => {
  const body = await read(request)
  seen.push({
    method: request.method ?? "",
    url: request.url ?? "",
    auth: request.headers.authorization,
    body,
    socket: request.socket,
  })
  response.statusCode = request.url === "/missing" ? 404 : 200
  response.end(request.url === "/big" ? "x".repeat(200_000) : `echo:${body}`)
})
let base = ""

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe("httpClient", () => {
  it("sends its headers and body and returns the whole answer with its status", async () => {
    const client = httpClient(base, { authorization: "Bearer t" }, 2)
    const posted = await client.post("/trpc/tasks.update", JSON.stringify({ ü: 1 }))
    expect(posted).toMatchObject({ status: 200, ok: true })
    expect(posted.body.toString()).toBe('echo:{"ü":1}')
    const big = await client.get("/big")
    expect(big.body.length).toBe(200_000)
    const missing = await client.get("/missing")
    expect(missing).toMatchObject({ status: 404, ok: false })
    expect(seen.slice(-3).map((s) => [s.method, s.url, s.auth])).toEqual([
      ["POST", "/trpc/tasks.update", "Bearer t"],
      ["GET", "/big", "Bearer t"],
      ["GET", "/missing", "Bearer t"],
    ])
    // Keep-alive: one after another, the calls share one connection.
    expect(new Set(seen.slice(-3).map((s) => s.socket)).size).toBe(1)
    client.close()
  })

  it("fails a call to a server that is not there", async () => {
    const client = httpClient("http://127.0.0.1:1", {}, 1)
    await expect(client.get("/")).rejects.toThrow()
    client.close()
  })
})
