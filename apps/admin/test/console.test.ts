// The console end to end in headless Chromium against a real stack (sandbox emulators + the API on PGlite serving the
// built console): signing in through the one-time link, the inbox, editing, live vendor-side changes, conflicts, dead
// letters, creating a connection, the viewer role, and an axe-core scan with a screenshot of every main view.
import type { BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { axe, freshContext, screenshot } from "./support/browser.ts"
import { type Stack, startStack } from "./support/stack.ts"

let stack: Stack
let context: BrowserContext
let page: Page

/** Waits on a condition (never a fixed sleep): up to 30 s, checked every 200 ms. */
const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 30_000, interval: 200 })

const scan = async (name: string) => {
  await screenshot(page, name)
  expect(await axe(page), `axe on ${name}`).toEqual([])
}

beforeAll(async () => {
  stack = await startStack()
  context = await freshContext()
  page = await context.newPage()
})

afterAll(async () => {
  await context?.close()
  await stack?.close()
})

describe("the console", () => {
  it("signs in through the one-time link, and refuses the link the second time", async () => {
    await page.goto(stack.signInLink)
    await page.getByRole("heading", { name: "Inbox" }).waitFor()
    expect(page.url()).toBe(`${stack.url}/`)
    await poll(() => page.getByTestId("role").textContent()).toBe("admin")
    const other = await freshContext()
    try {
      const second = await other.newPage()
      await second.goto(stack.signInLink)
      await second.getByText("already used").waitFor()
      expect(second.url()).toBe(`${stack.url}/signin`)
    } finally {
      await other.close()
    }
  })

  it("lists every work item and filters the inbox by vendor", async () => {
    const rows = page.locator("tr[data-task-id]")
    await rows.first().waitFor()
    await scan("inbox")
    await page.getByLabel("Vendor", { exact: true }).and(page.locator("input")).click()
    await page.getByRole("option", { name: "Spry" }).click()
    await page.keyboard.press("Escape")
    await poll(() => page.url()).toContain("vendor=")
    await poll(async () => {
      const texts = await rows.allInnerTexts()
      return texts.length > 0 && texts.every((t) => t.includes("Spry"))
    }).toBe(true)
    await screenshot(page, "inbox-filtered")
    // Keyboard: `/` focuses the search, j moves down, Enter opens the selected work item.
    await page.locator("body").click({ position: { x: 5, y: 400 } })
    await page.keyboard.press("/")
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute("placeholder"))).toBe(
      "Words in title or description",
    )
    await page.locator("body").click({ position: { x: 5, y: 400 } })
    await page.keyboard.press("j")
    await poll(() => page.locator("tr[aria-selected=true]").getAttribute("data-row")).toBe("2")
    const second = await page.locator("tr[aria-selected=true]").getAttribute("data-task-id")
    await page.keyboard.press("Enter")
    await poll(() => page.url()).toBe(`${stack.url}/tasks/${second}`)
    await page.goBack()
    await rows.first().waitFor()
  })

  /** An open Candid work item that no earlier step touched. */
  const used = new Set<string>()
  const candidTask = async () => {
    const page1 = await stack.api().tasks.list.query({ filter: { vendors: ["candid"], statuses: ["open"] }, limit: 50 })
    const task = page1.items.find((t) => !used.has(t.id) && t.links[0] !== undefined)
    if (task === undefined) throw new Error("no open Candid work item left")
    used.add(task.id)
    return { task, recordId: task.links[0]?.recordId as string }
  }
  type Logged = { seq: number; method: string; path: string; status: number | null }
  const candidRequests = async (since: number) =>
    (await stack.control("candid", `/requests?since=${since}&limit=1000`)) as {
      entries: Array<Logged>
      nextSeq: number
    }
  const patchesOf = async (recordId: string, since: number) =>
    (await candidRequests(since)).entries.filter((e) => e.method === "PATCH" && e.path.includes(recordId))
  const chooseStatus = async (label: string) => {
    await page.getByLabel("Status", { exact: true }).and(page.locator("input")).click()
    await page.getByRole("option", { name: label, exact: true }).click()
  }

  it("changes a work item's status and the write arrives at the vendor's emulator", async () => {
    const { task, recordId } = await candidTask()
    const since = (await candidRequests(0)).nextSeq
    await page.goto(`${stack.url}/tasks/${task.id}`)
    await page.getByRole("heading", { name: task.title }).first().waitFor()
    await page.getByRole("button", { name: "Save" }).waitFor()
    await scan("task-detail")
    await chooseStatus("In progress")
    await page.getByRole("button", { name: "Save" }).click()
    await page.getByText("The change is on its way to the vendor.").waitFor()
    const patches = await poll(
      async () => (await patchesOf(recordId, since)).filter((e) => e.status !== null && e.status < 300).length,
    ).toBeGreaterThan(0)
    void patches
    expect((await stack.api().tasks.get.query({ id: task.id })).status).toBe("in_progress")
  })

  it("shows an edit made at the vendor in the open console without a reload", async () => {
    const { task, recordId } = await candidTask()
    await page.goto(`${stack.url}/tasks/${task.id}`)
    const entries = page.getByTestId("history").locator(".mantine-Timeline-item")
    await page.getByRole("heading", { name: "History" }).waitFor()
    const before = await entries.count()
    const marker = await page.evaluate(() => {
      ;(window as unknown as { marker: number }).marker = 42
      return 42
    })
    await stack.control("candid", "/activity/step", { body: { count: 1, kinds: ["status"], id: recordId } })
    await stack.api().sync.pullNow.mutate({ connectionId: task.links[0]?.connectionId as string })
    await poll(() => entries.count()).toBeGreaterThan(before)
    await page.getByText("Changed at the vendor").first().waitFor()
    // The same page: nothing reloaded it.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(marker)
    // Newest first: the change the pull brought in, from the vendor's side.
    expect(await entries.first().textContent()).toContain("At the vendor")
  })

  it("explains a stale edit and offers the fresh version", async () => {
    const api = stack.api()
    const listed = await api.tasks.list.query({ filter: { vendors: ["vambe"], statuses: ["open"] }, limit: 20 })
    const task = listed.items.find((t) => !used.has(t.id))
    if (task === undefined) throw new Error("no open Vambe work item")
    used.add(task.id)
    await page.goto(`${stack.url}/tasks/${task.id}`)
    const title = page.getByLabel("Title", { exact: true })
    await title.waitFor()
    await poll(() => title.isEnabled()).toBe(true)
    // Someone else changes it after the form opened.
    await api.tasks.update.mutate({
      id: task.id,
      expectedVersion: task.version,
      patch: { title: `${task.title} (theirs)` },
    })
    await title.fill(`${task.title} (mine)`)
    await page.getByRole("button", { name: "Save" }).click()
    await page.getByText("Someone changed this work item meanwhile").waitFor()
    await page.getByRole("button", { name: "Load the fresh version" }).click()
    await poll(() => title.inputValue()).toBe(`${task.title} (theirs)`)
    expect((await api.tasks.get.query({ id: task.id })).title).toBe(`${task.title} (theirs)`)
  })

  it("resolves a conflict field by field, and the conflict leaves the list", async () => {
    const { task, recordId } = await candidTask()
    const api = stack.api()
    const connectionId = task.links[0]?.connectionId as string
    await api.connections.pause.mutate({ id: connectionId })
    await api.tasks.update.mutate({ id: task.id, expectedVersion: task.version, patch: { status: "in_progress" } })
    await stack.control("candid", "/activity/step", { body: { count: 1, kinds: ["status"], id: recordId } })
    await stack.control("candid", "/activity/step", { body: { count: 1, kinds: ["assign"], id: recordId } })
    const local = await api.tasks.get.query({ id: task.id })
    const assignee = { _tag: "User" as const, id: "00000000-0000-4000-8000-00000000c0de" }
    await api.tasks.update
      .mutate({ id: task.id, expectedVersion: local.version, patch: { assignees: [assignee] as never } })
      .catch(() => undefined)
    await api.connections.resume.mutate({ id: connectionId })
    const open = await poll(async () => (await api.conflicts.list.query({ taskId: task.id })).length).toBeGreaterThan(0)
    void open
    const conflicts = await api.conflicts.list.query({ taskId: task.id })
    // The inbox's "has conflict" view (a saved view in the URL) holds it, flagged.
    await page.goto(`${stack.url}/?conflict=true`)
    const flagged = page.locator(`tr[data-task-id="${task.id}"]`)
    await flagged.waitFor()
    expect(await flagged.textContent()).toContain("conflict")
    await expect.poll(() => page.getByLabel("Has conflict").isChecked()).toBe(true)
    await page.goto(`${stack.url}/conflicts`)
    const sections = page.locator(`section[data-conflict-field]`)
    await sections.first().waitFor()
    await scan("conflicts")
    for (const conflict of conflicts) {
      const section = page.getByRole("region", { name: `Conflict on ${conflict.field}` }).first()
      // The vendor's status wins (Candid's may be terminal); every other field keeps taskbridge's value.
      await section.getByLabel(conflict.field === "status" ? "the vendor's value" : "taskbridge's value").check()
      await section.getByRole("button", { name: `Resolve ${conflict.field}` }).click()
      await page
        .getByText(`${conflict.field} is being pushed.`)
        .waitFor({ timeout: 10_000 })
        .catch(async (e) => {
          await screenshot(page, "conflict-failure")
          throw e
        })
      await poll(async () =>
        (await api.conflicts.list.query({ taskId: task.id })).some((c) => c.id === conflict.id),
      ).toBe(false)
    }
    await poll(() => page.locator(`section[data-conflict-field]`).count()).toBe(0)
    await page.getByText("No open conflicts.").waitFor()
    const resolved = await api.tasks.get.query({ id: task.id })
    const status = conflicts.find((c) => c.field === "status")
    if (status !== undefined) expect(resolved.status).toBe(status.remote)
  })

  // Candid refuses a write of a status it deprecated for the organization (422): a permanent failure.
  const deprecate = (statuses: ReadonlyArray<string>) =>
    Promise.all(
      (stack.emulators.get("candid")?.credentials ?? []).map((o) =>
        stack.control("candid", `/organizations/${o.organizationId}`, {
          method: "PATCH",
          body: { deprecatedStatuses: statuses },
        }),
      ),
    )
  /**
   * Candid work items whose queued change to vendor status `name` Candid refused: dead letters. Each PATCH is held
   * at Candid while `name` is deprecated there, so it is refused when it lands; deprecated first, the adapter would
   * learn it from the first refusal (or a listing) and refuse the later changes itself, before any request.
   */
  const deadLetters = async (name: string, count: number) => {
    const api = stack.api()
    await stack.control("candid", "/faults", {
      method: "POST",
      body: { kind: "latency", method: "PATCH", latencyMs: 2_500, count },
    })
    const since = (await candidRequests(0)).nextSeq
    const queued = []
    for (let i = 0; i < count; i++) {
      const { task, recordId } = await candidTask()
      const connectionId = task.links[0]?.connectionId as string
      await api.tasks.update.mutate({
        id: task.id,
        expectedVersion: task.version,
        patch: { vendorStatus: { connectionId, name } } as never,
      })
      queued.push({ task, recordId })
    }
    // Every PATCH has arrived and is being held: now the status goes.
    await poll(async () => (await candidRequests(since)).entries.filter((e) => e.method === "PATCH").length).toBe(count)
    await deprecate([name])
    const found = await (async () => {
      for (;;) {
        const dead = await api.sync.outbox.query({ state: "dead" })
        const mine = queued.map((q) => dead.find((e) => e.taskId === q.task.id))
        if (mine.every((d) => d !== undefined)) return mine.flatMap((d) => (d === undefined ? [] : [d]))
        await new Promise((r) => setTimeout(r, 200))
      }
    })()
    return queued.map((q, i) => ({ ...q, dead: found[i] as (typeof found)[number] }))
  }

  it("retries a dead letter from the Sync view, and the change reaches the vendor", async () => {
    const api = stack.api()
    const [first] = await deadLetters("waiting_for_review", 1)
    if (first === undefined) throw new Error("no dead letter")
    const { recordId, dead } = first
    await deprecate([])
    const since = (await candidRequests(0)).nextSeq
    await page.goto(`${stack.url}/sync`)
    const row = page.locator(`tr[data-entry-id="${dead.id}"]`)
    await row.waitFor()
    await poll(() => row.textContent()).toContain("waiting_for_review")
    await scan("sync")
    await row.getByRole("button", { name: "Retry" }).click()
    await page.getByText("Queued again").waitFor()
    // The retry is a fresh attempt: it reached Candid, or (Candid's refusal learned) was tried and refused again.
    await poll(async () => {
      if ((await patchesOf(recordId, since)).length > 0) return true
      const again = (await api.sync.outbox.query({ state: "dead" })).find((e) => e.id === dead.id)
      return again !== undefined && again.attempts > dead.attempts
    }).toBe(true)
  })

  it("discards the dead letters picked in the Sync view, and only those", async () => {
    const api = stack.api()
    const [a, b, kept] = await deadLetters("blocked", 3)
    if (a === undefined || b === undefined || kept === undefined) throw new Error("no dead letters")
    const picked = [a, b]
    await page.goto(`${stack.url}/sync`)
    for (const { dead } of [...picked, kept]) await page.locator(`tr[data-entry-id="${dead.id}"]`).waitFor()
    for (const { dead } of picked) await page.getByLabel(`Select change ${dead.id}`).check()
    await page.getByRole("button", { name: "Retry selected (2)" }).waitFor()
    await page.getByRole("button", { name: "Discard selected" }).click()
    await page.getByText("Discarded").first().waitFor()
    const discarded = new Set((await api.sync.outbox.query({ state: "discarded" })).map((e) => e.id))
    for (const { dead } of picked) expect(discarded.has(dead.id), `change ${dead.id} discarded`).toBe(true)
    expect(discarded.has(kept.dead.id), "the change not picked stays").toBe(false)
    await poll(async () => (await api.sync.outbox.query({ state: "dead" })).some((e) => e.id === kept.dead.id)).toBe(
      true,
    )
    await page.locator(`tr[data-entry-id="${picked[0]?.dead.id}"]`).waitFor({ state: "detached" })
    await deprecate([])
  })

  it("creates a connection through the form, refusing it first with the schema's message", async () => {
    const vambe = stack.emulators.get("vambe")
    const apiKey = vambe?.credentials.at(-1)?.apiKey
    if (vambe === undefined || apiKey === undefined) throw new Error("no Vambe emulator credentials")
    await page.goto(`${stack.url}/connections`)
    await page.getByRole("button", { name: "New connection" }).click()
    await page
      .getByLabel(/^Vendor/)
      .and(page.locator("input"))
      .click()
    await page.getByRole("option", { name: "Vambe" }).click()
    await page.getByLabel("Name").fill("Vambe second clinic")
    await page.getByLabel("Base URL").fill(vambe.baseUrl)
    await page.getByRole("button", { name: "Create and start the backfill" }).click()
    await page.getByText("x-api-key is required").waitFor()
    await screenshot(page, "connections-form")
    await page.getByLabel("x-api-key").fill(apiKey)
    await page.getByRole("button", { name: "Create and start the backfill" }).click()
    await page.locator('[data-connection="Vambe second clinic"]').waitFor()
    await poll(async () =>
      (await stack.api().connections.list.query()).some((c) => c.name === "Vambe second clinic"),
    ).toBe(true)
    await scan("connections")
    // Pause and resume it from its card.
    const card = page.locator('[data-connection="Vambe second clinic"]')
    await card.getByRole("button", { name: "Pause" }).click()
    await card.getByText("paused", { exact: true }).waitFor()
    expect((await stack.api().connections.list.query()).find((c) => c.name === "Vambe second clinic")?.enabled).toBe(
      false,
    )
    await card.getByRole("button", { name: "Resume" }).click()
    await card.getByText("active", { exact: true }).waitFor()
    // "Test" reads the vendor once with the stored credentials and says how it went.
    await card.getByRole("button", { name: "Test" }).click()
    await page.getByText("Connection works").waitFor()
    await page.getByText(/One read in \d+ ms/).waitFor()
  })

  it("shows a viewer no edit controls", async () => {
    const issued = await stack.api().tokens.issue.mutate({ name: "e2e viewer", role: "viewer" })
    const viewer = await freshContext()
    try {
      const vpage = await viewer.newPage()
      await vpage.goto(stack.url)
      await vpage.getByLabel("API token").waitFor()
      await screenshot(vpage, "signin")
      expect(await axe(vpage), "axe on signin").toEqual([])
      await vpage.getByLabel("API token").fill(issued.token)
      await vpage.getByRole("button", { name: "Sign in" }).click()
      await vpage.getByRole("heading", { name: "Inbox" }).waitFor()
      await poll(() => vpage.getByTestId("role").textContent()).toBe("viewer")
      const { task } = await candidTask()
      await vpage.goto(`${stack.url}/tasks/${task.id}`)
      await vpage.getByRole("heading", { name: "History" }).waitFor()
      await screenshot(vpage, "viewer-task")
      expect(await vpage.getByRole("button", { name: "Save" }).count()).toBe(0)
      expect(await vpage.getByRole("region", { name: "Edit" }).count()).toBe(0)
      await vpage.goto(`${stack.url}/connections`)
      await vpage.locator("[data-connection]").first().waitFor()
      for (const name of ["New connection", "Pause", "Resume", "Test"])
        expect(await vpage.getByRole("button", { name }).count(), name).toBe(0)
      await vpage.goto(`${stack.url}/sync`)
      await vpage.getByRole("heading", { name: "Outbox" }).waitFor()
      for (const name of ["Retry", "Discard", "Retry selected (0)"])
        expect(await vpage.getByRole("button", { name }).count(), name).toBe(0)
      // The API refuses a viewer's change anyway.
      await expect(
        stack
          .api(issued.token)
          .tasks.update.mutate({ id: task.id, expectedVersion: task.version, patch: { status: "done" } }),
      ).rejects.toThrow()
    } finally {
      await viewer.close()
    }
  })
})
