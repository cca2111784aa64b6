// Speed targets for the Candid emulator at benchmark scale (run by `pnpm bench`, never by `pnpm test`):
// a list page on the sync path must cost O(page), so a page at 1,000,000 tasks stays close to one at 10,000.
import { afterAll, expect, test } from "vitest"
import { startCandid } from "../src/candid/Emulator.ts"
import { listTasks } from "../src/candid/List.ts"
import { parseListQuery } from "../src/candid/Query.ts"
import { createState } from "../src/candid/State.ts"
import { Clock } from "../src/framework/Clock.ts"

const million = createState({ seed: 3, size: 1_000_000 }, new Clock())
const tenThousand = createState({ seed: 3, size: 10_000 }, new Clock())
const syncQuery = parseListQuery(
  new URLSearchParams("limit=100&sort=agg_updated_at:asc&updated_since=2020-01-01T00:00:00Z"),
)
const defaultQuery = parseListQuery(new URLSearchParams("limit=100"))

test("a sync-path page at 1,000,000 tasks costs about what it costs at 10,000", async ({ bench }) => {
  const result = await bench.compare(
    bench("sync page at 1,000,000", () => listTasks(million.store, 0, syncQuery, "updated_at")),
    bench("sync page at 10,000", () => listTasks(tenThousand.store, 0, syncQuery, "updated_at")),
    bench("default page at 1,000,000", () => listTasks(million.store, 0, defaultQuery, "updated_at")),
  )
  const big = result.get("sync page at 1,000,000").latency.mean
  const small = result.get("sync page at 10,000").latency.mean
  expect(big).toBeLessThan(small * 3)
})

test("looks a task up by task_id at 1,000,000 tasks", async ({ bench }) => {
  const id = million.store.ids.task.encode(777_777)
  const result = await bench("get by task_id", () => million.store.taskIndex(id)).run()
  expect(result.latency.mean).toBeLessThan(0.05)
})

test("seeds 100,000 tasks", async ({ bench }) => {
  await bench("seed 100,000", () => createState({ seed: 9, size: 100_000 }, new Clock())).run({ iterations: 3 })
})

const http = await startCandid({ port: 0, seed: 3, size: 100_000, rateLimit: false })
afterAll(() => http.close())

test("serves a sync-path page over HTTP at 100,000 tasks", async ({ bench }) => {
  const org = http.state().store.orgs[0]
  const grant = await fetch(`${http.url}/api/auth/v2/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: org?.clientId, client_secret: org?.clientSecret }),
  })
  const { access_token } = (await grant.json()) as { access_token: string }
  const url = `${http.url}/api/tasks/v3?limit=100&sort=agg_updated_at:asc&updated_since=2020-01-01T00:00:00Z`
  await bench("HTTP sync page", async () => {
    await (await fetch(url, { headers: { authorization: `Bearer ${access_token}` } })).arrayBuffer()
  }).run()
})
