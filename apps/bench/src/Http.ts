// The benchmarks' HTTP client for the API under load: `node:http` on a keep-alive agent. On this 2-core machine the
// load generator's CPU is taken from the API it measures, and `fetch` cost it ≈ 0.5 ms per `tasks.list` call against
// ≈ 0.35 ms for this (measured side by side on the same API), so the lighter client distorts the figure less.
import http from "node:http"

export interface Answer {
  readonly status: number
  readonly ok: boolean
  readonly body: Buffer
}

export interface HttpClient {
  readonly get: (path: string) => Promise<Answer>
  readonly post: (path: string, body: string) => Promise<Answer>
  readonly close: () => void
}

/** A client of the server at `base` sending `headers` with every request, on at most `maxSockets` connections. */
export const httpClient = (base: string, headers: Readonly<Record<string, string>>, maxSockets: number): HttpClient => {
  const url = new URL(base)
  const agent = new http.Agent({ keepAlive: true, maxSockets })
  const send = (method: "GET" | "POST", path: string, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: body === undefined ? headers : { ...headers, "content-length": Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Array<Buffer> = []
          response.on("data", (chunk: Buffer) => chunks.push(chunk))
          response.on("error", reject)
          response.on("end", () => {
            const status = response.statusCode ?? 0
            resolve({ status, ok: status >= 200 && status < 300, body: Buffer.concat(chunks) })
          })
        },
      )
      request.on("error", reject)
      request.end(body)
    })
  return {
    get: (path) => send("GET", path),
    post: (path, body) => send("POST", path, body),
    close: () => agent.destroy(),
  }
}
