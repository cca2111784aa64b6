// The procedures the console reads beside the inbox, against real Candid and CareValidate emulators: editability
// (Candid's read-only title, CareValidate's note that cannot be cleared, a completed escalation frozen whole, and
// statuses offered exactly when `tasks.update` accepts them), vendor record links in `tasks.get`, health over time
// and per-run detail, the connection forms' field lists, the inbox row facts and the backfill estimate.
import { backends } from "@taskbridge/db/testing/Backends"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { TRPCError } from "@trpc/server"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, startHarness } from "./support/harness.ts"

const failure = async (call: Promise<unknown>) => {
  try {
    await call
  } catch (error) {
    if (error instanceof TRPCError) return error
    throw error
  }
  throw new Error("expected the call to fail")
}

for (const backend of backends) {
  describe(`the console's procedures on ${backend.name}`, () => {
    let harness: Harness
    let candid: Awaited<ReturnType<typeof startCandid>>
    let careValidate: Awaited<ReturnType<typeof startCareValidate>>
    let admin: string
    let candidId: string
    let careValidateId: string
    const api = () => harness.caller(admin)

    beforeAll(async () => {
      candid = await startCandid({ port: 0, seed: 21, size: 20 })
      careValidate = await startCareValidate({ port: 0, seed: 22, size: 20 })
      harness = await startHarness(backend)
      admin = (await harness.organization("console")).token
      const caller = await api()
      const candidOrg = candid.state().store.orgs[0]
      const cvOrg = careValidate.state().store.orgs[0]
      if (candidOrg === undefined || cvOrg === undefined) throw new Error("an emulator has no organization")
      candidId = (
        await caller.connections.create({
          vendor: "candid",
          name: "Candid",
          baseUrl: candid.url,
          credentials: { clientId: candidOrg.clientId, clientSecret: candidOrg.clientSecret },
          options: { workQueueId: candidOrg.workQueueIds[0] ?? "queue" },
        })
      ).id
      careValidateId = (
        await caller.connections.create({
          vendor: "carevalidate",
          name: "CareValidate",
          baseUrl: careValidate.url,
          credentials: { apiKey: cvOrg.apiKey, webhookSecret: "whsec-console" },
        })
      ).id
      await eventually("both backfills", async () => {
        const status = await caller.sync.status()
        return status.length === 2 && status.every((s) => s.backfill?.state === "succeeded") ? status : undefined
      })
    }, 180_000)

    afterAll(async () => {
      await harness?.close()
      await candid?.close()
      await careValidate?.close()
    })

    it("says Candid's title is read-only and its assignee cannot be cleared, and offers only the statuses update accepts", async () => {
      const caller = await api()
      const [task] = (await caller.tasks.list({ filter: { vendors: ["candid"], statuses: ["open"] }, limit: 1 })).items
      if (task === undefined) throw new Error("no open Candid task")
      const edit = await caller.tasks.editability({ id: task.id })
      const field = (name: string) => edit.fields.find((f) => f.field === name)
      expect(field("title")).toMatchObject({ editable: false, clearable: false })
      expect(field("title")?.reasons).toEqual([
        { rule: "read-only-at-vendor", vendor: "candid", message: "candid: title is read-only" },
      ])
      expect(field("assignees")).toMatchObject({ editable: true, clearable: false })
      expect(field("assignees")?.reasons[0]).toMatchObject({ rule: "not-clearable", vendor: "candid" })
      expect(edit.constraints).toMatchObject({ maxAssignees: 1, assigneeKinds: ["User"], priorities: [] })
      // The read-only title is refused by update exactly as editability says.
      const refused = await failure(
        caller.tasks.update({ id: task.id, expectedVersion: task.version, patch: { title: "New title" } }),
      )
      expect(refused.code).toBe("BAD_REQUEST")
      expect(refused.message).toContain("candid does not accept changes to title")
      // Every status it calls unreachable is refused by update; one it calls reachable is accepted.
      for (const option of edit.statuses.filter((s) => !s.reachable)) {
        const current = await caller.tasks.get({ id: task.id })
        const no = await failure(
          caller.tasks.update({ id: task.id, expectedVersion: current.version, patch: { status: option.status } }),
        )
        expect(no.code, option.status).toBe("BAD_REQUEST")
        expect(option.reasons.length, option.status).toBeGreaterThan(0)
      }
      const reachable = edit.statuses.find((s) => s.reachable)
      if (reachable === undefined) throw new Error("an open Candid task can reach no status")
      const current = await caller.tasks.get({ id: task.id })
      const moved = await caller.tasks.update({
        id: task.id,
        expectedVersion: current.version,
        patch: { status: reachable.status },
      })
      expect(moved.status).toBe(reachable.status)
      // Candid's own statuses: the current one is marked and not offered.
      const [vendor] = edit.vendorStatuses
      expect(vendor?.vendor).toBe("candid")
      expect(vendor?.options.filter((o) => o.current).map((o) => o.name)).toEqual([task.links[0]?.vendorStatus])
      expect(vendor?.options.find((o) => o.current)?.reachable).toBe(false)
    })

    it("says a CareValidate escalation's note cannot be cleared, and a completed one refuses every edit", async () => {
      const caller = await api()
      const filter = { kinds: ["escalation" as const], statuses: ["open" as const] }
      const [active] = (await caller.tasks.list({ filter, limit: 1 })).items
      if (active === undefined) throw new Error("no active escalation")
      const edit = await caller.tasks.editability({ id: active.id })
      const description = edit.fields.find((f) => f.field === "description")
      expect(description).toMatchObject({ editable: true, clearable: false })
      expect(description?.reasons).toEqual([
        {
          rule: "not-clearable",
          vendor: "carevalidate",
          message: "carevalidate cannot clear description; give a new value instead",
        },
      ])
      expect(edit.fields.find((f) => f.field === "title")?.reasons[0]?.message).toBe(
        "carevalidate: title can only be set when the record is created",
      )
      const cleared = await failure(
        caller.tasks.update({ id: active.id, expectedVersion: active.version, patch: { description: null } }),
      )
      expect(cleared.message).toContain("description (not-clearable)")

      const [completed] = (await caller.tasks.list({ filter: { kinds: ["escalation"], statuses: ["done"] }, limit: 1 }))
        .items
      if (completed === undefined) throw new Error("no completed escalation")
      const frozen = await caller.tasks.editability({ id: completed.id })
      expect(frozen.fields.every((f) => !f.editable)).toBe(true)
      for (const f of frozen.fields) expect(f.reasons[0]?.rule, f.field).toBe("terminal-state")
      expect(frozen.statuses.every((s) => !s.reachable)).toBe(true)
    })

    it("links each vendor record from tasks.get by its manifest's record URL", async () => {
      const caller = await api()
      const [task] = (await caller.tasks.list({ filter: { vendors: ["candid"] }, limit: 1 })).items
      const [escalation] = (await caller.tasks.list({ filter: { vendors: ["carevalidate"] }, limit: 1 })).items
      if (task === undefined || escalation === undefined) throw new Error("nothing backfilled")
      const got = await caller.tasks.get({ id: task.id })
      expect(got.links[0]?.recordUrl).toBe(
        `${candid.url}/api/tasks/v3/${encodeURIComponent(got.links[0]?.recordId ?? "")}`,
      )
      const link = (await caller.tasks.get({ id: escalation.id })).links[0]
      expect(link?.parent).not.toBeNull()
      expect(link?.recordUrl).toBe(
        `${careValidate.url}/api/v1/customer-case-detail?caseId=${encodeURIComponent(link?.parent ?? "")}`,
      )
      // The record answers there (the emulator serves the vendor's real paths).
      const detail = await fetch(link?.recordUrl ?? "", {
        headers: { "cv-api-key": careValidate.state().store.orgs[0]?.apiKey ?? "" },
      })
      expect(detail.status).toBe(200)
    })

    it("charts each connection's pulls, lag and outbox depth over a window, and pages through its runs", async () => {
      const caller = await api()
      await caller.sync.pullNow({ connectionId: candidId })
      await eventually("a second Candid run", async () => {
        const runs = await caller.health.runs({ connectionId: candidId })
        return runs.items.length >= 2 && runs.items.every((r) => r.run.state !== "running") ? runs : undefined
      })
      const series = await caller.health.series({ windowSeconds: 3600, buckets: 12 })
      expect(series.bucketSeconds).toBe(300)
      expect(series.connections.map((c) => c.connectionId).sort()).toEqual([candidId, careValidateId].sort())
      const points = series.connections.find((c) => c.connectionId === candidId)?.points ?? []
      expect(points).toHaveLength(12)
      const runs = points.reduce((n, p) => n + p.runs, 0)
      const records = points.reduce((n, p) => n + p.records, 0)
      expect(runs).toBeGreaterThanOrEqual(2)
      const candidTasks = (await caller.tasks.list({ filter: { vendors: ["candid"] }, limit: 200 })).items.length
      expect(records).toBeGreaterThanOrEqual(candidTasks)
      const last = points.at(-1)
      expect(last?.lastPullAt).not.toBeNull()
      expect(last?.lagSeconds).toBeGreaterThanOrEqual(0)
      expect(last?.lagSeconds).toBeLessThan(600)
      expect(points.find((p) => p.runs > 0)?.errorRate).toBe(0)
      expect(points.find((p) => p.runs > 0)?.recordsPerSecond).toBeGreaterThan(0)
      expect(points.every((p) => p.outboxDepth >= 0)).toBe(true)
      // Earlier buckets, before anything ran, have no pull yet.
      expect(points[0]?.lastPullAt).toBeNull()

      const first = await caller.health.runs({ connectionId: candidId, limit: 1 })
      expect(first.items).toHaveLength(1)
      expect(first.nextCursor).not.toBeNull()
      const rest = await caller.health.runs({ connectionId: candidId, cursor: first.nextCursor ?? "" })
      const all = [...first.items, ...rest.items]
      const backfill = all.find((r) => r.run.kind === "backfill")
      expect(backfill?.run.pages).toBeGreaterThanOrEqual(1)
      expect(backfill?.run.records).toBe(candidTasks)
      expect(backfill?.durationSeconds).toBeGreaterThan(0)
      expect(new Set(all.map((r) => r.run.id)).size).toBe(all.length)
      expect(all.every((r) => r.run.connectionId === candidId)).toBe(true)
    }, 60_000)

    it("lists each vendor's connection form as fields with label, type, required, secret and constraints", async () => {
      const vendors = await (await api()).vendors.list()
      const byVendor = new Map(vendors.map((v) => [v.manifest.vendor, v]))
      expect(byVendor.get("candid")?.credentialFields).toEqual([
        {
          name: "clientId",
          label: "Client ID",
          type: "string",
          required: true,
          secret: false,
          description: null,
          constraints: { minLength: 1 },
        },
        {
          name: "clientSecret",
          label: "Client secret",
          type: "string",
          required: true,
          secret: true,
          description: null,
          constraints: { minLength: 1 },
        },
      ])
      const sinceDays = byVendor.get("carevalidate")?.optionFields.find((f) => f.name === "sinceDays")
      expect(sinceDays).toMatchObject({ type: "integer", required: false, constraints: { minimum: 1, maximum: 3650 } })
      expect(byVendor.get("candid")?.optionFields.find((f) => f.name === "deprecatedStatuses")?.type).toBe("list")
      expect(byVendor.get("candid")?.manifest.recordUrl).toBe("{baseUrl}/api/tasks/v3/{id}")
    })

    it("carries the inbox facts on every list row and a finished backfill's estimate as null", async () => {
      const caller = await api()
      const page = await caller.tasks.list({ limit: 200 })
      for (const row of page.items) {
        expect(typeof row.inbox.overdue).toBe("boolean")
        const origin = row.inbox.lastChange?.origin
        expect(row.inbox.lastChange?.side).toBe(origin === "pull" || origin === "webhook" ? "vendor" : "local")
      }
      // The first test moved a Candid task's status here: its last change is ours, by the admin token.
      const sides = page.items.map((row) => [row.inbox.lastChange?.side, row.inbox.lastChange?.actor])
      expect(sides).toContainEqual(["local", "admin token"])
      expect(sides.filter(([side]) => side === "vendor").length).toBeGreaterThan(10)
      const status = await caller.sync.status()
      expect(status.every((s) => s.backfill?.estimatedSecondsRemaining === null)).toBe(true)
    })
  })
}
