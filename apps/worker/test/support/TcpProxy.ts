// A TCP proxy the tests put between one worker and PostgreSQL. Cutting it destroys every connection and refuses new
// ones, which to the worker is a database restart or outage, without touching the shared server other suites use;
// it also records the local port of each upstream socket, so `pg_stat_activity.client_port` names the worker.
import { connect, createServer, type Server, type Socket } from "node:net"

export interface TcpProxy {
  /** The port the worker connects to instead of the database's. */
  readonly port: number
  /** Destroys every open connection and refuses new ones until `restore`. */
  readonly cut: () => void
  readonly restore: () => void
  /** Local ports of the proxy's open sockets to the upstream server (what the server sees as `client_port`). */
  readonly upstreamPorts: () => ReadonlySet<number>
  /** Connections refused while cut, so a test can show the outage was felt. */
  readonly refused: () => number
  readonly close: () => Promise<void>
}

export const startTcpProxy = async (target: { readonly host: string; readonly port: number }): Promise<TcpProxy> => {
  const pairs = new Set<{ readonly client: Socket; readonly upstream: Socket }>()
  let isCut = false
  let refused = 0
  const server: Server = createServer((client) => {
    if (isCut) {
      refused++
      client.destroy()
      return
    }
    const upstream = connect(target.port, target.host)
    const pair = { client, upstream }
    pairs.add(pair)
    const end = () => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    // Errors are the point of a cut (ECONNRESET on both sides); each side's end tears the other down.
    client.on("error", end).on("close", end)
    upstream.on("error", end).on("close", end)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("the proxy has no TCP address")
  return {
    port: address.port,
    cut: () => {
      isCut = true
      for (const { client, upstream } of pairs) {
        client.destroy()
        upstream.destroy()
      }
      pairs.clear()
    },
    restore: () => {
      isCut = false
    },
    upstreamPorts: () =>
      new Set([...pairs].map((p) => p.upstream.localPort).filter((port): port is number => port !== undefined)),
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of pairs) {
          client.destroy()
          upstream.destroy()
        }
        server.close(() => resolve())
      }),
  }
}
