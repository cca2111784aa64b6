// The tRPC router through `createCaller` on a real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set),
// with the Candid emulator over real HTTP behind the connections it creates: auth and roles, organization scoping,
// every procedure family, and errors that name the field and the rule.
import { backends } from "@taskbridge/db/testing/Backends"
import { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { TRPCError } from "@trpc/server"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, startHarness } from "./support/harness.ts"

type Candid = Awaited<ReturnType<typeof startCandid>>

/** The tRPC error a call fails with (the test fails if it succeeds). */
const failure = async (call: Promise<unknown>) => {
  try {
    await call
  } catch (error) {
    if (error instanceof TRPCError) return error
    throw error
  }
  throw new Error("expected the call to fail")
}

const detailsOf = (error: TRPCError) => (error.cause as unknown as { details?: Record<string, unknown> }).details

for (const backend of backends) {
  describe(`API router on ${backend.name}`, () => {
    let harness: Harness
    let candid: Candid
    let admin: string
    let connectionId: string

    const candidOrg = () => {
      const org = candid.state().store.orgs[0]
      if (org === undefined) throw new Error("the emulator has no organization")
      return org
    }
    const patchesSince = (seq: number) =>
      candid.control.requests.list({ since: seq - 1 }).filter((r) => r.method === "PATCH")

    /** A Candid user edits a record through Candid's own API. */
    const vendorEdit = async (id: string, body: unknown) => {
      const org = candidOrg()
      const auth = (await fetch(`${candid.url}/api/auth/v2/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_id: org.clientId, client_secret: org.clientSecret }),
      }).then((r) => r.json())) as { access_token: string }
      const response = await fetch(`${candid.url}/api/tasks/v3/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", authorization: `Bearer ${auth.access_token}` },
        body: JSON.stringify(body),
      })
      expect(response.status).toBe(200)
    }

    beforeAll(async () => {
      candid = await startCandid({ port: 0, seed: 11, size: 30 })
      harness = await startHarness(backend)
      admin = (await harness.organization("acme")).token
      const org = candidOrg()
      const api = await harness.caller(admin)
      const created = await api.connections.create({
        vendor: "candid",
        name: "Candid sandbox",
        baseUrl: candid.url,
        credentials: { clientId: org.clientId, clientSecret: org.clientSecret },
        options: { workQueueId: org.workQueueIds[0] ?? "queue" },
      })
      connectionId = created.id
      // Creating a connection starts its backfill at once.
      await eventually("the backfill", async () => {
        const [status] = await api.sync.status()
        return status?.backfill?.state === "succeeded" ? status : undefined
      })
    }, 120_000)

    afterAll(async () => {
      await harness?.close()
      await candid?.close()
    })

    it("refuses calls without a valid token and calls above the token's role", async () => {
      const anonymous = await harness.caller(undefined)
      expect((await failure(anonymous.tasks.list({}))).code).toBe("UNAUTHORIZED")
      const forged = await harness.caller("tb_not-a-real-token")
      expect((await failure(forged.tasks.list({}))).code).toBe("UNAUTHORIZED")

      const api = await harness.caller(admin)
      const issued = await api.tokens.issue({ name: "dashboard", role: "viewer" })
      const viewer = await harness.caller(issued.token)
      const page = await viewer.tasks.list({ limit: 1 })
      const task = page.items[0]
      if (task === undefined) throw new Error("no task was backfilled")
      const refused = await failure(viewer.tasks.update({ id: task.id, expectedVersion: task.version, patch: {} }))
      expect(refused.code).toBe("FORBIDDEN")
      expect(refused.message).toContain("operator")
      expect((await failure(viewer.tokens.list())).code).toBe("FORBIDDEN")

      expect((await api.tokens.list()).map((t) => t.name)).toContain("dashboard")
      await api.tokens.revoke({ id: issued.id })
      // Each request authenticates afresh, as every HTTP request does.
      const afterRevoke = await harness.caller(issued.token)
      expect((await failure(afterRevoke.tasks.list({}))).code).toBe("UNAUTHORIZED")
      expect((await failure(api.tokens.revoke({ id: issued.id }))).code).toBe("NOT_FOUND")
    })

    it("lists the backfilled tasks with filters, sort and cursor pages", async () => {
      const api = await harness.caller(admin)
      const size = candid.state().store.tasks.length
      const ownCount = Array.from({ length: size }).filter(
        (_, i) => candid.state().store.tasks.cols.org[i] === 0,
      ).length
      const seen: Array<string> = []
      let cursor: string | undefined
      do {
        const page = await api.tasks.list({ filter: { vendors: ["candid"] }, limit: 7, ...(cursor ? { cursor } : {}) })
        seen.push(...page.items.map((t) => t.id))
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
      expect(seen.length).toBe(ownCount)
      expect(new Set(seen).size).toBe(seen.length)
      const newest = await api.tasks.list({ limit: 3 })
      const oldest = await api.tasks.list({ limit: 3, sort: "updated-asc" })
      expect((newest.items[0]?.updatedAt ?? "") >= (oldest.items[0]?.updatedAt ?? "")).toBe(true)
      expect((await api.tasks.list({ filter: { vendors: ["spry"] } })).items).toEqual([])
      const bad = await failure(api.tasks.list({ cursor: "not-a-cursor" }))
      expect(bad.code).toBe("BAD_REQUEST")
      expect(bad.message).toContain("cursor")
    })

    it("updates a task: one PATCH reaches Candid, history records it, a stale version is a CONFLICT", async () => {
      const api = await harness.caller(admin)
      const [task] = (await api.tasks.list({ filter: { statuses: ["open"] }, limit: 1 })).items
      if (task === undefined) throw new Error("no open task")
      const seq = candid.control.requests.nextSeq()
      const updated = await api.tasks.update({
        id: task.id,
        expectedVersion: task.version,
        patch: { status: "in_progress" },
      })
      expect(updated.version).toBe(task.version + 1)
      expect(updated.status).toBe("in_progress")
      const sent = await eventually("the PATCH at Candid", async () => {
        const found = patchesSince(seq)
        return found.length > 0 ? found : undefined
      })
      expect(sent.map((r) => r.status)).toEqual([200])
      await eventually("the outbox to drain", async () => {
        const [status] = await api.sync.status()
        return status?.outbox.pending === 0 && status.outbox.sending === 0 ? true : undefined
      })
      expect(patchesSince(seq)).toHaveLength(1)

      const stale = await failure(
        api.tasks.update({ id: task.id, expectedVersion: task.version, patch: { title: "x" } }),
      )
      expect(stale.code).toBe("CONFLICT")
      const current = await api.tasks.get({ id: task.id })
      expect(detailsOf(stale)).toMatchObject({ field: "expectedVersion", currentVersion: current.version })

      const history = await api.tasks.history({ id: task.id })
      expect(history.map((h) => h.origin)).toEqual(expect.arrayContaining(["pull", "api"]))
      const change = history.find((h) => h.origin === "api")
      expect(change?.changes).toEqual(expect.arrayContaining([expect.objectContaining({ field: "status" })]))
    })

    it("refuses bad input with errors that name the field and the rule", async () => {
      const api = await harness.caller(admin)
      const [task] = (await api.tasks.list({ limit: 1 })).items
      if (task === undefined) throw new Error("no task")
      const shape = await failure(
        api.tasks.update({ id: task.id, expectedVersion: task.version, patch: { status: "bogus" as "open" } }),
      )
      expect(shape.code).toBe("BAD_REQUEST")
      expect(shape.message).toContain("patch.status")

      const rule = await failure(
        api.tasks.update({ id: task.id, expectedVersion: task.version, patch: { title: " " } }),
      )
      expect(rule.code).toBe("BAD_REQUEST")
      const violations = detailsOf(rule)?.violations as ReadonlyArray<{ field: string; rule: string }>
      expect(violations.map((v) => v.field)).toContain("title")

      // Priorities Candid cannot hold are refused, not clamped.
      const priority = await failure(
        api.tasks.update({ id: task.id, expectedVersion: task.version, patch: { priority: "urgent" } }),
      )
      expect(priority.code).toBe("BAD_REQUEST")
      expect(priority.message).toContain("priority")

      const url = await failure(
        api.connections.create({ vendor: "candid", name: "x", baseUrl: "ftp://nowhere", credentials: {} }),
      )
      expect(url.code).toBe("BAD_REQUEST")
      expect(url.message).toContain("baseUrl")

      const secret = "s3cr3t-value-never-shown"
      const credentials = await failure(
        api.connections.create({
          vendor: "candid",
          name: "missing id",
          baseUrl: candid.url,
          credentials: { clientSecret: secret },
        }),
      )
      expect(credentials.code).toBe("BAD_REQUEST")
      expect(credentials.message).toContain("credentials (vendor-settings): credentials: clientId is missing")
      expect(JSON.stringify({ message: credentials.message, details: detailsOf(credentials) })).not.toContain(secret)
      expect((await api.connections.list()).map((c) => c.name)).not.toContain("missing id")
    })

    it("scopes everything to the caller's organization: another organization's ids are not found", async () => {
      const mine = await harness.caller(admin)
      const [task] = (await mine.tasks.list({ limit: 1 })).items
      if (task === undefined) throw new Error("no task")
      const other = await harness.caller((await harness.organization("globex")).token)
      expect((await other.tasks.list({})).items).toEqual([])
      expect((await failure(other.tasks.get({ id: task.id }))).code).toBe("NOT_FOUND")
      expect((await failure(other.tasks.history({ id: task.id }))).code).toBe("NOT_FOUND")
      const update = other.tasks.update({ id: task.id, expectedVersion: task.version, patch: { title: "taken" } })
      expect((await failure(update)).code).toBe("NOT_FOUND")
      expect((await failure(other.connections.pause({ id: connectionId }))).code).toBe("NOT_FOUND")
      expect((await failure(other.sync.pullNow({ connectionId }))).code).toBe("NOT_FOUND")
      expect(await other.connections.list()).toEqual([])
      expect(await other.sync.status()).toEqual([])
      expect((await mine.tasks.get({ id: task.id })).title).toBe(task.title)
    })

    it("pauses and resumes a connection: paused, nothing is pulled or pushed; resumed, the queued change goes out", async () => {
      const api = await harness.caller(admin)
      const paused = await api.connections.pause({ id: connectionId })
      expect(paused.enabled).toBe(false)
      expect((await failure(api.sync.pullNow({ connectionId }))).code).toBe("PRECONDITION_FAILED")
      const [task] = (await api.tasks.list({ filter: { statuses: ["open", "in_progress"] }, limit: 1 })).items
      if (task === undefined) throw new Error("no open task")
      const seq = candid.control.requests.nextSeq()
      const status = task.status === "waiting" ? "in_progress" : "waiting"
      await api.tasks.update({ id: task.id, expectedVersion: task.version, patch: { status } })
      const [queued] = await api.sync.outbox({ state: "pending", connectionId })
      expect(queued?.taskId).toBe(task.id)
      // The sweep runs every 500 ms in this harness; a paused connection's row must still be waiting after it.
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect(patchesSince(seq)).toEqual([])

      await api.connections.resume({ id: connectionId })
      await eventually("the queued change at Candid", async () => (patchesSince(seq).length > 0 ? true : undefined))
      await eventually("the outbox to drain", async () =>
        (await api.sync.outbox({ state: "pending", connectionId })).length === 0 ? true : undefined,
      )
      expect(patchesSince(seq)).toHaveLength(1)
      const runsBefore = (await api.sync.status())[0]?.lastRun?.id
      await api.sync.pullNow({ connectionId })
      await eventually("a manual pull", async () => {
        const run = (await api.sync.status())[0]?.lastRun
        return run !== null && run !== undefined && run.id !== runsBefore && run.state === "succeeded" ? run : undefined
      })
    })

    it("shows a conflict instead of overwriting, holds its push, and pushes the resolution", async () => {
      const api = await harness.caller(admin)
      const [task] = (await api.tasks.list({ filter: { statuses: ["open"] }, limit: 1 })).items
      const record = task?.links[0]?.recordId
      if (task === undefined || record === undefined) throw new Error("no open Candid task")
      // While the connection is paused, both sides change the status.
      await api.connections.pause({ id: connectionId })
      await api.tasks.update({ id: task.id, expectedVersion: task.version, patch: { status: "waiting" } })
      // The update's push was dispatched at once; it must have run (and found the connection paused) before the resume.
      // Were it to run during the resume, a send could slip in right after the resume's pull records the conflict: the
      // conflict would still be shown, but the vendor would hold our value (see ARCHITECTURE.md, held pushes).
      const queued = (await api.sync.outbox({ state: "pending", connectionId })).find((e) => e.taskId === task.id)
      if (queued === undefined) throw new Error("the update queued nothing")
      await eventually("the paused push to finish", async () =>
        (await harness.pushFinished(queued)) ? true : undefined,
      )
      await vendorEdit(record, { status: "in_progress" })
      const seq = candid.control.requests.nextSeq()
      await api.connections.resume({ id: connectionId })
      const [conflict] = await api.conflicts.list({ taskId: task.id })
      expect(conflict).toMatchObject({ field: "status", local: "waiting", remote: "in_progress" })
      // The queued local change is held: Candid keeps its own value until someone decides.
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect(patchesSince(seq)).toEqual([])
      expect((await api.sync.outbox({ state: "pending", connectionId })).map((e) => e.taskId)).toContain(task.id)

      const resolved = await api.conflicts.resolve({ id: conflict?.id ?? "", value: "waiting" })
      expect(resolved.state).toBe("resolved")
      await eventually("the resolution at Candid", async () => (patchesSince(seq).length > 0 ? true : undefined))
      await eventually("the outbox to drain", async () =>
        (await api.sync.outbox({ state: "pending", connectionId })).length === 0 ? true : undefined,
      )
      expect(patchesSince(seq).map((r) => r.status)).toEqual([200])
      expect((await api.conflicts.list({})).map((c) => c.id)).not.toContain(conflict?.id)
      const bad = await failure(api.conflicts.resolve({ id: conflict?.id ?? "", value: "waiting" }))
      expect(bad.code).toBe("NOT_FOUND")
    })

    it("merges a vendor edit made since the last pull before pushing, so it is never overwritten unseen", async () => {
      const api = await harness.caller(admin)
      const open = (await api.tasks.list({ filter: { statuses: ["open"] }, limit: 2 })).items
      const [same, other] = open
      const sameRecord = same?.links[0]?.recordId
      const otherRecord = other?.links[0]?.recordId
      if (same === undefined || other === undefined || sameRecord === undefined || otherRecord === undefined) {
        throw new Error("two open Candid tasks are needed")
      }
      // A Candid user moves both records; no pull runs before our operator edits them.
      await vendorEdit(sameRecord, { status: "in_progress" })
      await vendorEdit(otherRecord, { assignee_user_id: "6f1c2a52-8c1d-4a8e-9d2b-0c5e7f9a1b3d" })
      const seq = candid.control.requests.nextSeq()
      await api.tasks.update({ id: same.id, expectedVersion: same.version, patch: { status: "waiting" } })
      await api.tasks.update({ id: other.id, expectedVersion: other.version, patch: { status: "waiting" } })

      // The same field: a conflict, and nothing written over the vendor's value.
      const [conflict] = await eventually("the conflict", async () => {
        const found = await api.conflicts.list({ taskId: same.id })
        return found.length > 0 ? found : undefined
      })
      expect(conflict).toMatchObject({ field: "status", local: "waiting", remote: "in_progress" })
      // Different fields: both kept — our status goes out, the vendor's assignee arrives here.
      await eventually("the disjoint change at Candid", async () =>
        patchesSince(seq).some((r) => r.path.endsWith(otherRecord)) ? true : undefined,
      )
      const merged = await api.tasks.get({ id: other.id })
      expect(merged.status).toBe("waiting")
      expect(merged.assignees).toHaveLength(1)
      expect(patchesSince(seq).filter((r) => r.path.endsWith(sameRecord))).toEqual([])
      await api.conflicts.resolve({ id: conflict?.id ?? "", value: "in_progress" })
    })

    it("dead-letters a change Candid refuses, then retries and discards it through the API", async () => {
      const api = await harness.caller(admin)
      const [task] = (await api.tasks.list({ filter: { statuses: ["open", "in_progress"] }, limit: 1 })).items
      if (task === undefined) throw new Error("no open task")
      // Candid refuses writes of a status it deprecated for this organization (422).
      const deprecate = await fetch(`${candid.url}/_sandbox/organizations/${candidOrg().organizationId}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ deprecatedStatuses: ["waiting_for_review"] }),
      })
      expect(deprecate.status).toBe(200)
      const patch = { vendorStatus: { connectionId, name: "waiting_for_review" } }
      await api.tasks.update({ id: task.id, expectedVersion: task.version, patch })
      const dead = await eventually("a dead letter", async () => {
        const found = await api.sync.outbox({ state: "dead", connectionId })
        return found.find((e) => e.taskId === task.id)
      })
      expect(dead.lastError).not.toBeNull()
      expect((await api.sync.status())[0]?.deadLetters).toBeGreaterThan(0)

      const retried = await api.sync.retry({ id: dead.id })
      expect(retried.state).toBe("pending")
      const deadAgain = await eventually("the retry to fail again", async () => {
        const found = await api.sync.outbox({ state: "dead", connectionId })
        return found.find((e) => e.id === dead.id && e.attempts > dead.attempts)
      })
      const discarded = await api.sync.discard({ id: deadAgain.id })
      expect(discarded.state).toBe("discarded")
      expect((await api.sync.outbox({ state: "dead", connectionId })).map((e) => e.id)).not.toContain(dead.id)
      expect((await failure(api.sync.retry({ id: dead.id }))).code).toBe("NOT_FOUND")
    })

    it("creates a task at Candid through the engine, once", async () => {
      const api = await harness.caller(admin)
      const seq = candid.control.requests.nextSeq()
      const organizations = (await fetch(`${candid.url}/_sandbox/organizations`).then((r) => r.json())) as {
        organizations: Array<{ sampleEncounterIds: Array<string> }>
      }
      const encounter = organizations.organizations[0]?.sampleEncounterIds[0] ?? ""
      const created = await api.tasks.create({
        title: "Call the payer about claim 7",
        description: "The payer has not answered the appeal.",
        connectionId,
        subjects: { encounter: { id: encounter } },
        extension: {
          _tag: "candid",
          taskType: "CLAIM_FOLLOW_UP",
          category: "other",
          blocksClaimSubmission: false,
          dateOfService: "2026-11-01",
          encounterId: encounter,
          externalId: "",
          patientExternalId: "",
          payerName: null,
          payerId: null,
        },
      })
      expect(created.title).toBe("Call the payer about claim 7")
      const linked = await eventually("the vendor link", async () => {
        const task = await api.tasks.get({ id: created.id })
        return task.links.length > 0 ? task : undefined
      })
      expect(linked.links[0]?.vendor).toBe("candid")
      const posts = candid.control.requests
        .list({ since: seq - 1 })
        .filter((r) => r.method === "POST" && r.path.includes("/tasks"))
      expect(posts).toHaveLength(1)
      expect(posts[0]?.status).toBeLessThan(300)
    })

    it("tests a connection with one authenticated read, reports its status scheme and health", async () => {
      const api = await harness.caller(admin)
      const good = await api.connections.test({ id: connectionId })
      expect(good).toMatchObject({ ok: true })
      expect(good.ok && good.records).toBeGreaterThan(0)

      const secret = "definitely-not-the-secret"
      const wrong = await api.connections.create({
        vendor: "candid",
        name: "Candid with a wrong secret",
        baseUrl: candid.url,
        credentials: { clientId: candidOrg().clientId, clientSecret: secret },
        options: { workQueueId: candidOrg().workQueueIds[0] ?? "queue" },
      })
      await api.connections.pause({ id: wrong.id })
      const refused = await api.connections.test({ id: wrong.id })
      expect(refused.ok).toBe(false)
      expect(!refused.ok && refused.error).toContain("Unauthorized")
      expect(JSON.stringify(refused)).not.toContain(secret)
      expect(JSON.stringify(await api.connections.list())).not.toContain(secret)

      const scheme = await api.connections.statusScheme({ id: connectionId })
      expect(scheme.vendor).toBe("candid")
      expect(scheme.statuses.map((status) => status.name)).toContain("finished")

      const [health] = (await api.sync.status()).filter((s) => s.connectionId === connectionId)
      expect(health?.lastSuccessAt).not.toBeNull()
      expect(health?.lagSeconds).toBeGreaterThanOrEqual(0)
      expect(health?.errorRate).toBe(0)
      expect(health?.backfill).toMatchObject({ state: "succeeded" })
      expect(health?.backfill?.records).toBeGreaterThan(0)
    })
  })
}
