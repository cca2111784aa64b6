// Vambe end to end through the API (tRPC and the webhook receiver over real HTTP) on a real database (PGlite, and
// PostgreSQL when TEST_DATABASE_URL is set), with the Vambe emulator behind the connection: an edit is one PUT and
// its echo changes nothing, a Vambe-side edit and delete arrive (the delete as a tombstone with history), a signed
// webhook becomes a pull, and a listing that suddenly shows (almost) nothing is held by the deletion guard.
import { createHmac } from "node:crypto"
import { backends } from "@taskbridge/db/testing/Backends"
import { startVambe } from "@taskbridge/sandbox/vambe/Emulator"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ApiServer, listen } from "../../src/Server.ts"
import { type Harness, startHarness } from "../support/harness.ts"

type Vambe = Awaited<ReturnType<typeof startVambe>>
const secret = "whsec-vambe-e2e"

for (const backend of backends) {
  describe(`Vambe through the API on ${backend.name}`, () => {
    let harness: Harness
    let server: ApiServer
    let vambe: Vambe
    let admin: string
    let connectionId: string

    const tenant = () => {
      const org = vambe.state().store.orgs[0]
      if (org === undefined) throw new Error("the emulator has no organization")
      return org
    }
    /** A Vambe user's own call, with the organization's x-api-key. */
    const vendorCall = (method: string, path: string, body?: unknown) =>
      fetch(`${vambe.url}${path}`, {
        method,
        headers: { "x-api-key": tenant().apiKey, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    const putsSince = (seq: number) => vambe.control.requests.list({ since: seq - 1 }).filter((r) => r.method === "PUT")
    const api = () => harness.caller(admin)
    const status = async () => {
      const [found] = await (await api()).sync.status()
      if (found === undefined) throw new Error("no connection status")
      return found
    }
    const drained = () =>
      eventually("the outbox to drain", async () => {
        const s = await status()
        return s.outbox.pending === 0 && s.outbox.sending === 0 ? true : undefined
      })
    /** A pull of the connection, to completion; the run it was. */
    const pulled = async (start: () => Promise<unknown>) => {
      const before = (await status()).lastRun?.id
      await start()
      return eventually("the pull", async () => {
        const run = (await status()).lastRun
        return run !== null && run.id !== before && run.state !== "running" ? run : undefined
      })
    }
    const pullNow = () => pulled(async () => (await api()).sync.pullNow({ connectionId }))
    const taskOf = async (recordId: string) => {
      const page = await (await api()).tasks.list({ filter: { vendors: ["vambe"], deleted: "include" }, limit: 200 })
      const found = page.items.find((t) => t.links.some((l) => l.recordId === recordId))
      if (found === undefined) throw new Error(`no task linked to ${recordId}`)
      return found
    }
    const liveVambeTask = () =>
      vambe
        .state()
        .store.tasksOf(0)
        .find((t) => vambe.state().store.status(t)?.type === "initial" && t.dueAt !== null)

    beforeAll(async () => {
      vambe = await startVambe({ port: 0, seed: 21, size: 90 })
      harness = await startHarness(backend)
      server = await listen(harness.runtime, { port: 0 })
      admin = (await harness.organization("vambe")).token
      const created = await (await api()).connections.create({
        vendor: "vambe",
        name: "Vambe sandbox",
        baseUrl: vambe.url,
        credentials: { apiKey: tenant().apiKey, webhookSecret: secret },
      })
      connectionId = created.id
      await eventually("the backfill", async () => {
        const s = await status()
        return s.backfill?.state === "succeeded" ? s : undefined
      })
    }, 120_000)

    afterAll(async () => {
      await server?.close()
      await harness?.close()
      await vambe?.close()
    })

    it("backfills every task of the organization with its learned status configuration", async () => {
      const page = await (await api()).tasks.list({ filter: { vendors: ["vambe"] }, limit: 200 })
      expect(page.items.length).toBe(vambe.state().store.tasksOf(0).length)
      const scheme = await (await api()).connections.statusScheme({ id: connectionId })
      expect(scheme.statuses.map((s) => s.name)).toEqual(tenant().statuses.map((s) => s.name))
    })

    it("sends a tRPC edit to Vambe as one PUT, and the pull that sees it records no echo", async () => {
      const vendorTask = liveVambeTask()
      if (vendorTask === undefined) throw new Error("no open Vambe task")
      const task = await taskOf(vendorTask.id)
      const seq = vambe.control.requests.nextSeq()
      const updated = await (await api()).tasks.update({
        id: task.id,
        expectedVersion: task.version,
        patch: { title: "Confirmar hora por WhatsApp", priority: "high", status: "in_progress" },
      })
      expect(updated.version).toBe(task.version + 1)
      await eventually("the PUT at Vambe", async () => (putsSince(seq).length > 0 ? true : undefined))
      await drained()
      const [put] = putsSince(seq)
      expect(putsSince(seq)).toHaveLength(1)
      expect(put?.status).toBe(200)
      expect(put?.body).toMatchObject({ title: "Confirmar hora por WhatsApp", priority: "2" })
      expect(put?.body).not.toHaveProperty("newStatusPosition")
      expect(vambe.state().store.task(vendorTask.id)?.title).toBe("Confirmar hora por WhatsApp")

      const history = await (await api()).tasks.history({ id: task.id })
      const version = (await (await api()).tasks.get({ id: task.id })).version
      const run = await pullNow()
      expect(run.state).toBe("succeeded")
      expect(putsSince(seq)).toHaveLength(1)
      expect(await (await api()).tasks.history({ id: task.id })).toHaveLength(history.length)
      expect((await (await api()).tasks.get({ id: task.id })).version).toBe(version)
    })

    it("brings an edit made at Vambe into the task, with history", async () => {
      const vendorTask = liveVambeTask()
      if (vendorTask === undefined) throw new Error("no open Vambe task")
      const answer = await vendorCall("PUT", `/api/public/tasks/${vendorTask.id}`, {
        title: "Enviar presupuesto corregido",
        description: "Lo pidió por teléfono",
      })
      expect(answer.status).toBe(200)
      await pullNow()
      const task = await taskOf(vendorTask.id)
      expect(task.title).toBe("Enviar presupuesto corregido")
      expect(task.description).toBe("Lo pidió por teléfono")
      const history = await (await api()).tasks.history({ id: task.id })
      const fromPull = history.find((h) => h.origin === "pull" && h.changes.some((c) => c.field === "title"))
      expect(fromPull).toBeDefined()
    })

    it("turns a task deleted at Vambe into a tombstone with history", async () => {
      const vendorTask = liveVambeTask()
      if (vendorTask === undefined) throw new Error("no open Vambe task")
      expect((await vendorCall("DELETE", `/api/public/tasks/${vendorTask.id}`)).status).toBe(200)
      await pullNow()
      const task = await taskOf(vendorTask.id)
      expect(task.deletedAt).not.toBeNull()
      expect(task.links[0]?.deletedAt).not.toBeNull()
      const deleted = await (await api()).tasks.list({ filter: { vendors: ["vambe"], deleted: "only" } })
      expect(deleted.items.map((t) => t.id)).toContain(task.id)
      const history = await (await api()).tasks.history({ id: task.id })
      expect(history.some((h) => h.changes.some((c) => c.field === "deleted"))).toBe(true)
    })

    it("pulls when Vambe sends a signed webhook, and refuses a wrongly signed one", async () => {
      const url = `${server.url}/webhooks/vambe/${connectionId}`
      const forged = JSON.stringify({ event: "task.updated", timestamp: new Date().toISOString(), data: {} })
      const wrong = createHmac("sha256", "not-the-secret").update(forged).digest("hex")
      const refused = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-vambe-signature": wrong },
        body: forged,
      })
      expect(refused.status).toBe(401)

      const registered = await vendorCall("POST", "/api/webhooks", { topic: "task.updated", url, secret })
      expect(registered.status).toBe(201)
      const vendorTask = liveVambeTask()
      if (vendorTask === undefined) throw new Error("no open Vambe task")
      const run = await pulled(async () => {
        vambe.control.activity.step(1, { kinds: ["title"], id: vendorTask.id })
      })
      expect(run.kind).toBe("webhook")
      expect(run.state).toBe("succeeded")
      const deliveries = (await fetch(`${vambe.url}/_sandbox/webhooks/deliveries`).then((r) => r.json())) as {
        deliveries: Array<{ status: number | null }>
      }
      expect(deliveries.deliveries.map((d) => d.status)).toContain(202)
      expect((await taskOf(vendorTask.id)).title).toBe(vambe.state().store.task(vendorTask.id)?.title)
    })

    it("holds a listing that suddenly shows almost nothing for an operator instead of deleting", async () => {
      const live = async () =>
        (await (await api()).tasks.list({ filter: { vendors: ["vambe"] }, limit: 200 })).items.length
      const before = await live()
      const outage = (limit: number | null) =>
        fetch(`${vambe.url}/_sandbox/listing-outage`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ limit }),
        })
      await outage(1)
      const run = await pullNow()
      expect(run.state).toBe("succeeded")
      const held = (await status()).heldDeletion
      expect(held?.records).toBeGreaterThan(before / 2)
      expect(await live()).toBe(before)

      await outage(null)
      const [decision] = await (await api()).sync.deletions({ connectionId })
      await (await api()).sync.decideDeletion({ id: decision?.id ?? "", confirm: false })
      await pullNow()
      expect((await status()).heldDeletion).toBeNull()
      expect(await live()).toBe(before)
    })
  })
}
