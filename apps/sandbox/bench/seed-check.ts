// Standalone capacity check (not a test): seeds a Candid emulator with N tasks (default 1,000,000), reports
// seeding time and memory, then times real-HTTP list pages on the sync path and on a sorted-snapshot path.
// Run: pnpm --filter @taskbridge/sandbox seed:check [size]
import { startCandid } from "../src/candid/Emulator.ts"

const size = Number(process.argv[2] ?? 1_000_000)
const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`

const before = process.memoryUsage()
const started = performance.now()
const candid = await startCandid({ port: 0, seed: 1, size, rateLimit: false })
const seedMs = Math.round(performance.now() - started)
globalThis.gc?.()
const after = process.memoryUsage()
console.log(
  JSON.stringify({
    size,
    seedMs,
    heapUsed: mb(after.heapUsed),
    heapGrowth: mb(after.heapUsed - before.heapUsed),
    arrayBuffers: mb(after.arrayBuffers),
    rss: mb(after.rss),
  }),
)

const { clientId, clientSecret } = candid.state().store.orgs[0] ?? { clientId: "", clientSecret: "" }
const grant = await fetch(`${candid.url}/api/auth/v2/token`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ client_id: clientId, client_secret: clientSecret }),
})
const { access_token } = (await grant.json()) as { access_token: string }

const timePage = async (label: string, query: string) => {
  const t0 = performance.now()
  const response = await fetch(`${candid.url}/api/tasks/v3?${query}`, {
    headers: { authorization: `Bearer ${access_token}` },
  })
  const body = (await response.json()) as { items: Array<unknown>; next_page_token: string | null }
  const firstMs = Math.round(performance.now() - t0)
  const t1 = performance.now()
  await fetch(`${candid.url}/api/tasks/v3?${query}&page_token=${body.next_page_token}`, {
    headers: { authorization: `Bearer ${access_token}` },
  }).then((r) => r.arrayBuffer())
  console.log(
    JSON.stringify({
      label,
      status: response.status,
      items: body.items.length,
      firstMs,
      nextMs: Math.round(performance.now() - t1),
    }),
  )
}

await timePage("default sort updated_at:desc", "limit=100")
await timePage(
  "sync: updated_since + agg_updated_at:asc",
  "limit=100&sort=agg_updated_at:asc&updated_since=2020-01-01T00:00:00Z",
)
await timePage("filtered scan: status=blocked", "limit=100&status=blocked")
await timePage("snapshot sort: patient_name:asc", "limit=100&sort=patient_name:asc")
candid.control.activity.step(1000)
await timePage("after 1000 staff edits: updated_at:asc", "limit=100&sort=updated_at:asc")
await candid.close()
