// Kore.ai end to end through the API (tRPC) on a real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set),
// with the Kore.ai emulator behind the connection and its documented 60-a-minute budget on: the backfill learns the
// account's statuses, an edit is one updateTask holding only the changed fields and its echo changes nothing, and an
// agent's edit at Kore.ai arrives with history.
import { backends } from "@taskbridge/db/testing/Backends"
import { startKoreai } from "@taskbridge/sandbox/koreai/Emulator"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, startHarness } from "../support/harness.ts"

type Koreai = Awaited<ReturnType<typeof startKoreai>>

for (const backend of backends) {
  describe(`Kore.ai through the API on ${backend.name}`, () => {
    let harness: Harness
    let koreai: Koreai
    let admin: string
    let connectionId: string

    const tenant = () => {
      const org = koreai.state().store.orgs[0]
      if (org === undefined) throw new Error("the emulator has no account")
      return org
    }
    const vendorCallsSince = (seq: number) => koreai.control.requests.list({ since: seq - 1 })
    const updatesSince = (seq: number) => vendorCallsSince(seq).filter((r) => r.path.includes("/updateTask/"))
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
    const pullNow = async () => {
      const before = (await status()).lastRun?.id
      await (await api()).sync.pullNow({ connectionId })
      return eventually("the pull", async () => {
        const run = (await status()).lastRun
        return run !== null && run.id !== before && run.state !== "running" ? run : undefined
      })
    }
    const taskOf = async (recordId: string) => {
      const page = await (await api()).tasks.list({ filter: { vendors: ["koreai"] }, limit: 200 })
      const found = page.items.find((t) => t.links.some((l) => l.recordId === recordId))
      if (found === undefined) throw new Error(`no task linked to ${recordId}`)
      return found
    }
    /** A task in an open-category status, `nth` of them (each test edits its own). */
    const openTask = (nth: number) => {
      const store = koreai.state().store
      const found = store.tasksOf(0).filter((t) => store.status(t)?.statusCategory === "open")[nth]
      if (found === undefined) throw new Error("no open Kore.ai task")
      return found
    }

    beforeAll(async () => {
      koreai = await startKoreai({ port: 0, seed: 23, size: 80 })
      harness = await startHarness(backend)
      admin = (await harness.organization("koreai")).token
      const app = tenant().apps[0]
      if (app === undefined) throw new Error("no JWT app")
      const created = await (await api()).connections.create({
        vendor: "koreai",
        name: "Kore.ai sandbox",
        baseUrl: koreai.url,
        credentials: { clientId: app.appId, clientSecret: app.secret, accountId: tenant().accountId },
        options: { streamId: tenant().streamId },
      })
      connectionId = created.id
      await eventually("the backfill", async () => {
        const s = await status()
        return s.backfill?.state === "succeeded" ? s : undefined
      })
    }, 120_000)

    afterAll(async () => {
      await harness?.close()
      await koreai?.close()
    })

    it("backfills every task of the account and learns its statuses from them", async () => {
      const page = await (await api()).tasks.list({ filter: { vendors: ["koreai"] }, limit: 200 })
      expect(page.items.length).toBe(koreai.state().store.tasksOf(0).length)
      const scheme = await (await api()).connections.statusScheme({ id: connectionId })
      const configured = tenant().statuses.map((s) => s.name)
      expect(scheme.statuses.length).toBeGreaterThan(1)
      for (const s of scheme.statuses) expect(configured).toContain(s.name)
    })

    it("sends a tRPC edit as one updateTask with only the changed fields, and its echo changes nothing", async () => {
      const vendorTask = openTask(0)
      const task = await taskOf(vendorTask._id)
      const seq = koreai.control.requests.nextSeq()
      const updated = await (await api()).tasks.update({
        id: task.id,
        expectedVersion: task.version,
        patch: { title: "Call the payer about the denial", priority: "urgent" },
      })
      expect(updated.version).toBe(task.version + 1)
      await eventually("the updateTask at Kore.ai", async () => (updatesSince(seq).length > 0 ? true : undefined))
      await drained()
      const [update] = updatesSince(seq)
      expect(updatesSince(seq)).toHaveLength(1)
      expect(update?.status).toBe(200)
      const critical = tenant().priorities.find((p) => p.name === "Critical")
      expect(update?.body).toEqual({ name: "Call the payer about the denial", priority: { _id: critical?._id } })
      expect(koreai.state().store.task(vendorTask._id)?.name).toBe("Call the payer about the denial")

      const history = await (await api()).tasks.history({ id: task.id })
      const version = (await (await api()).tasks.get({ id: task.id })).version
      const run = await pullNow()
      expect(run.state).toBe("succeeded")
      expect(updatesSince(seq)).toHaveLength(1)
      expect(await (await api()).tasks.history({ id: task.id })).toHaveLength(history.length)
      expect((await (await api()).tasks.get({ id: task.id })).version).toBe(version)
      // Nothing the account's budget refused: the adapter kept within 60 a minute.
      expect(vendorCallsSince(seq).some((r) => r.status === 429)).toBe(false)
    })

    it("brings an agent's edit at Kore.ai into the task, with history", async () => {
      const vendorTask = openTask(1)
      const answer = await fetch(`${koreai.url}/_sandbox/tasks/${vendorTask._id}/edit`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "Fax the prior authorization", desc: "The payer asked by phone" }),
      })
      expect(answer.status).toBe(200)
      await pullNow()
      const task = await taskOf(vendorTask._id)
      expect(task.title).toBe("Fax the prior authorization")
      expect(task.description).toBe("The payer asked by phone")
      const history = await (await api()).tasks.history({ id: task.id })
      expect(history.some((h) => h.origin === "pull" && h.changes.some((c) => c.field === "title"))).toBe(true)
    })
  })
}
