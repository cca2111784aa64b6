// Vambe webhooks, staff activity and control routes over real HTTP: registration by API (topic, url, secret),
// signed deliveries of task.updated / task.completed / task.reassigned to a local receiver, every activity kind,
// the status configuration set through the control API, and the listing outage.
import { createHmac } from "node:crypto"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { SIGNATURE_HEADER } from "../../src/vambe/State.ts"
import { type Receiver, startReceiver } from "../receiver.ts"
import { datedTask, everything, org, orgApi, useVambe, type WireTask } from "./support.ts"

const vambe = useVambe()
let receiver: Receiver<{ event: string; timestamp: string; data: WireTask }>

beforeAll(async () => {
  receiver = await startReceiver()
})
afterAll(async () => {
  await receiver.close()
})

const subscribe = async (topic: string, secret = "whsec-vambe") =>
  orgApi(await vambe()).json<{ id: string; topic: string; active: boolean }>("POST", "/api/webhooks", {
    topic,
    url: receiver.url,
    secret,
  })

describe("Vambe webhooks", () => {
  it("registers webhooks per topic and lists only the organization's own", async () => {
    const v = await vambe()
    const made = await subscribe("task.updated")
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ topic: "task.updated", active: true })
    expect(made.body).not.toHaveProperty("secret")
    expect((await orgApi(v).json<Array<{ id: string }>>("GET", "/api/webhooks")).body.map((w) => w.id)).toEqual([
      made.body.id,
    ])
    expect((await orgApi(v, 1).json<Array<unknown>>("GET", "/api/webhooks")).body).toEqual([])
    expect(
      (await orgApi(v).call("POST", "/api/webhooks", { topic: "task.deleted", url: receiver.url, secret: "s" })).status,
    ).toBe(400)
    const removed = await orgApi(v).json<{ active: boolean }>("DELETE", `/api/webhooks/${made.body.id}`)
    expect(removed.body.active).toBe(false)
    const restored = await orgApi(v).json<{ active: boolean }>("POST", `/api/webhooks/${made.body.id}/restore`)
    expect(restored.body.active).toBe(true)
  })

  it("keeps the API key and the webhook secret out of the request log", async () => {
    const v = await vambe()
    await subscribe("task.updated", "whsec-never-logged")
    const logged = JSON.stringify(v.control.requests.list({ since: 0 }))
    expect(logged).not.toContain("whsec-never-logged")
    expect(logged).not.toContain(org(v).apiKey)
    expect(logged).toContain("[redacted]")
  })

  it("delivers task.updated, task.completed and task.reassigned signed with the registered secret", async () => {
    const v = await vambe()
    const task = datedTask(v)
    const done = org(v).statuses.find((s) => s.type === "done" || s.type === "master_done")
    const other = org(v).members.find((m) => !task.responsibles.includes(m.id))
    await orgApi(v).call("PUT", `/api/public/tasks/${task.id}`, { newStatusPosition: 0 })
    receiver.received.length = 0
    for (const topic of ["task.updated", "task.completed", "task.reassigned"]) await subscribe(topic)
    await orgApi(v).call("PUT", `/api/public/tasks/${task.id}`, {
      newStatusName: done?.name,
      responsibleIds: [other?.id],
    })
    const got = await eventually("three deliveries", async () =>
      receiver.received.length >= 3 ? receiver.received : undefined,
    )
    expect(got.map((r) => r.json.event).sort()).toEqual(["task.completed", "task.reassigned", "task.updated"])
    for (const delivery of got) {
      const expected = createHmac("sha256", "whsec-vambe").update(delivery.raw).digest("hex")
      expect(delivery.headers[SIGNATURE_HEADER]).toBe(expected)
      expect(delivery.json.data.id).toBe(task.id)
    }
  })

  it("sends nothing for a PUT that changes nothing", async () => {
    const v = await vambe()
    receiver.received.length = 0
    await subscribe("task.updated")
    const task = datedTask(v)
    const title = task.title
    await orgApi(v).call("PUT", `/api/public/tasks/${task.id}`, { title })
    await orgApi(v).call("PUT", `/api/public/tasks/${task.id}`, { title: `${title}!` })
    const got = await eventually("one delivery", async () =>
      receiver.received.length >= 1 ? receiver.received : undefined,
    )
    expect(got).toHaveLength(1)
    expect(got[0]?.json.data.title).toBe(`${title}!`)
  })
})

describe("Vambe staff activity", () => {
  it("applies each kind: a real change to a named task, or a new or deleted one", async () => {
    const v = await vambe()
    const task = datedTask(v)
    for (const kind of ["status", "assign", "due", "title"]) {
      const before = JSON.stringify(v.state().store.task(task.id))
      const [event] = v.control.activity.step(1, { kinds: [kind], id: task.id })
      expect(event?.kind).toBe(kind)
      expect(JSON.stringify(v.state().store.task(task.id))).not.toBe(before)
    }
    const [created] = v.control.activity.step(1, { kinds: ["create"] })
    expect(v.state().store.task(created?.id ?? "")).toBeDefined()
    const [deleted] = v.control.activity.step(1, { kinds: ["delete"], id: task.id })
    expect(deleted?.id).toBe(task.id)
    expect(v.state().store.task(task.id)).toBeUndefined()
  })

  it("edits a named task rather than creating or deleting when no kind is given", async () => {
    const v = await vambe()
    const task = datedTask(v)
    const events = Array.from({ length: 20 }, () => v.control.activity.step(1, { id: task.id })).flat()
    expect(events.every((e) => e.id === task.id && ["status", "assign", "due", "title"].includes(e.kind))).toBe(true)
  })
})

describe("Vambe control routes", () => {
  it("replaces an organization's statuses, including a type newer than the documented four", async () => {
    const v = await vambe()
    const organization = org(v)
    const statuses = [
      ...organization.statuses.map(({ name, type }) => ({ name, type })),
      { name: "Archivado", type: "archived" },
    ]
    const answer = await fetch(`${v.url}/_sandbox/organizations/${organization.organizationId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ statuses }),
    })
    expect(answer.status).toBe(200)
    const task = datedTask(v)
    const moved = await orgApi(v).json<WireTask>("PUT", `/api/public/tasks/${task.id}`, { newStatusName: "Archivado" })
    expect(moved.body.status_config).toMatchObject({ name: "Archivado", type: "archived", order: statuses.length - 1 })
    const dropping = await fetch(`${v.url}/_sandbox/organizations/${organization.organizationId}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ statuses: [{ name: "Solo", type: "initial" }] }),
    })
    expect(dropping.status).toBe(400)
  })

  it("makes listings answer at most the outage's limit until it is lifted", async () => {
    const v = await vambe()
    const post = (limit: number | null) =>
      fetch(`${v.url}/_sandbox/listing-outage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ limit }),
      })
    await post(2)
    expect((await orgApi(v).json<Array<unknown>>("GET", everything)).body).toHaveLength(2)
    await post(null)
    expect((await orgApi(v).json<Array<unknown>>("GET", everything)).body.length).toBe(
      v.state().store.tasksOf(0).length,
    )
  })
})
