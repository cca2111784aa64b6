// A local webhook receiver for tests: a node:http server on port 0 that keeps the raw bytes and headers of every
// POST and answers each with the next scripted status ("hang" never answers); plus a URL nothing listens on and
// polling with a deadline.
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import { eventually } from "@taskbridge/vitest-config/eventually"

export interface Received<T = unknown> {
  readonly headers: IncomingHttpHeaders
  readonly raw: Buffer
  readonly json: T
}

export interface Receiver<T = unknown> {
  readonly url: string
  readonly received: Array<Received<T>>
  /** Requests whose connection closed before the receiver answered (held ones the sender gave up on). */
  readonly abandoned: () => number
  readonly close: () => Promise<void>
}

/** A webhook receiver answering each POST with the next of `answers` (then 200); "hang" never answers. */
export const startReceiver = async <T = unknown>(answers: Array<number | "hang"> = []): Promise<Receiver<T>> => {
  const received: Array<Received<T>> = []
  let abandoned = 0
  const server = createServer(async (req, res) => {
    const chunks: Array<Buffer> = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    received.push({ headers: req.headers, raw, json: JSON.parse(raw.toString("utf8")) as T })
    res.on("close", () => {
      if (!res.writableFinished) abandoned++
    })
    const answer = answers.shift() ?? 200
    if (answer !== "hang") res.writeHead(answer).end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    abandoned: () => abandoned,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A URL nothing listens on: a receiver that is down. */
export const downUrl = async (): Promise<string> => {
  const receiver = await startReceiver()
  await receiver.close()
  return receiver.url
}

/** Polls until `probe` returns a value; fails the test with `what` after `timeoutMs`, never passes by waiting. */
export const waitFor = <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000) =>
  eventually(what, probe, { timeoutMs, intervalMs: 15 })
