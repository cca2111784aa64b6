// Tenant isolation and roles for every procedure of the router. Organization A has a CareValidate connection, work
// items, a queued change, a conflict and tokens; organization B's admin calls every procedure with A's ids and is
// answered exactly as it is for ids that exist nowhere (so B cannot even learn that A's ids exist), and every list B
// reads holds nothing of A's. A viewer token is refused every mutation. A procedure added to the router without a row
// here fails the coverage check.
import { createHmac, randomUUID } from "node:crypto"
import { backends } from "@taskbridge/db/testing/Backends"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { TRPCError } from "@trpc/server"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { appRouter } from "../src/Router.ts"
import { type Harness, startHarness } from "./support/harness.ts"

type Caller = Awaited<ReturnType<Harness["caller"]>>
type Call = (caller: Caller) => Promise<unknown>

interface Ids {
  readonly task: string
  readonly version: number
  readonly connection: string
  readonly entry: string
  readonly conflict: string
  readonly token: string
  readonly deletion: string
}

/** Each procedure, called with a set of ids: A's, or ids no organization has. */
const calls: Record<string, { readonly kind: "by-id" | "list" | "create"; readonly call: (ids: Ids) => Call }> = {
  "tasks.list": { kind: "list", call: () => (c) => c.tasks.list({ limit: 200 }) },
  "tasks.get": { kind: "by-id", call: (ids) => (c) => c.tasks.get({ id: ids.task }) },
  "tasks.create": {
    kind: "by-id",
    call: (ids) => (c) => c.tasks.create({ title: "Foreign", connectionId: ids.connection }),
  },
  "tasks.update": {
    kind: "by-id",
    call: (ids) => (c) => c.tasks.update({ id: ids.task, expectedVersion: ids.version, patch: { title: "taken" } }),
  },
  "tasks.restore": {
    kind: "by-id",
    call: (ids) => (c) => c.tasks.restore({ id: ids.task, expectedVersion: ids.version }),
  },
  "tasks.history": { kind: "by-id", call: (ids) => (c) => c.tasks.history({ id: ids.task }) },
  "tasks.editability": { kind: "by-id", call: (ids) => (c) => c.tasks.editability({ id: ids.task }) },
  "health.series": {
    kind: "by-id",
    call: (ids) => (c) => c.health.series({ connectionId: ids.connection, windowSeconds: 3600, buckets: 4 }),
  },
  "health.runs": { kind: "by-id", call: (ids) => (c) => c.health.runs({ connectionId: ids.connection }) },
  "connections.list": { kind: "list", call: () => (c) => c.connections.list() },
  "connections.create": {
    kind: "create",
    call: () => (c) =>
      c.connections.create({
        vendor: "carevalidate",
        name: "B's",
        baseUrl: "https://care360.example.com",
        credentials: {},
      }),
  },
  "connections.update": {
    kind: "by-id",
    call: (ids) => (c) => c.connections.update({ id: ids.connection, name: "taken" }),
  },
  "connections.test": { kind: "by-id", call: (ids) => (c) => c.connections.test({ id: ids.connection }) },
  "connections.pause": { kind: "by-id", call: (ids) => (c) => c.connections.pause({ id: ids.connection }) },
  "connections.resume": { kind: "by-id", call: (ids) => (c) => c.connections.resume({ id: ids.connection }) },
  "connections.statusScheme": {
    kind: "by-id",
    call: (ids) => (c) => c.connections.statusScheme({ id: ids.connection }),
  },
  "vendors.list": { kind: "list", call: () => (c) => c.vendors.list() },
  "sync.status": { kind: "list", call: () => (c) => c.sync.status() },
  "sync.pullNow": { kind: "by-id", call: (ids) => (c) => c.sync.pullNow({ connectionId: ids.connection }) },
  "sync.outbox": { kind: "list", call: () => (c) => c.sync.outbox({}) },
  "sync.retry": { kind: "by-id", call: (ids) => (c) => c.sync.retry({ id: ids.entry }) },
  "sync.discard": { kind: "by-id", call: (ids) => (c) => c.sync.discard({ id: ids.entry }) },
  "sync.quarantined": {
    kind: "by-id",
    call: (ids) => (c) => c.sync.quarantined({ connectionId: ids.connection }),
  },
  "sync.deletions": { kind: "by-id", call: (ids) => (c) => c.sync.deletions({ connectionId: ids.connection }) },
  "sync.decideDeletion": {
    kind: "by-id",
    call: (ids) => (c) => c.sync.decideDeletion({ id: ids.deletion, confirm: true }),
  },
  "conflicts.list": { kind: "by-id", call: (ids) => (c) => c.conflicts.list({ taskId: ids.task }) },
  "conflicts.resolve": { kind: "by-id", call: (ids) => (c) => c.conflicts.resolve({ id: ids.conflict, value: "x" }) },
  "tokens.list": { kind: "list", call: () => (c) => c.tokens.list() },
  "tokens.issue": { kind: "create", call: () => (c) => c.tokens.issue({ name: "B's", role: "viewer" }) },
  "tokens.revoke": { kind: "by-id", call: (ids) => (c) => c.tokens.revoke({ id: ids.token }) },
}

type Procedure = { readonly _def: { readonly type: string } }
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>).filter(
  ([, p]) => p._def.type !== "subscription",
)

/**
 * A call's answer with every id in it (UUIDs and numbers) replaced by `<id>`, so two answers about different ids
 * compare equal exactly when they say the same thing.
 */
const answer = async (call: Promise<unknown>) => {
  const scrub = (text: string) =>
    text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>").replace(/\b\d+\b/g, "<id>")
  try {
    return { ok: JSON.stringify(await call), text: "" }
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error
    return { code: error.code, message: scrub(error.message) }
  }
}

for (const backend of backends) {
  describe(`isolation and roles for every procedure, on ${backend.name}`, () => {
    let harness: Harness
    let careValidate: Awaited<ReturnType<typeof startCareValidate>>
    let a: Caller
    let b: Caller
    let viewer: Caller
    let ids: Ids
    const nowhere = (): Ids => ({
      task: randomUUID(),
      version: 0,
      connection: randomUUID(),
      entry: String(900_000_000 + Math.floor(Math.random() * 1000)),
      conflict: String(900_000_000 + Math.floor(Math.random() * 1000)),
      token: randomUUID(),
      deletion: String(900_000_000 + Math.floor(Math.random() * 1000)),
    })

    beforeAll(async () => {
      careValidate = await startCareValidate({ port: 0, seed: 12, size: 15 })
      harness = await startHarness(backend)
      const orgA = await harness.organization("acme")
      a = await harness.caller(orgA.token)
      b = await harness.caller((await harness.organization("globex")).token)
      viewer = await harness.caller(await harness.token(orgA.id, "viewer"))
      const tenant = careValidate.state().store.orgs[0]
      if (tenant === undefined) throw new Error("no CareValidate organization")
      // One escalation CareValidate sends unreadable: A holds it in quarantine, which B must never see.
      careValidate.control.faults.add({
        kind: "wrongType",
        field: "title",
        count: 1,
        method: "GET",
        pathPrefix: "/api/v1/customer-case-detail",
      })
      const connection = await a.connections.create({
        vendor: "carevalidate",
        name: "A's CareValidate",
        baseUrl: careValidate.url,
        credentials: { apiKey: tenant.apiKey, webhookSecret: createHmac("sha256", "x").digest("hex") },
      })
      await eventually("A's backfill", async () => {
        const [status] = await a.sync.status()
        return status?.backfill?.state === "succeeded" ? status : undefined
      })
      expect((await a.sync.quarantined({})).map((q) => q.connectionId)).toEqual([connection.id])
      const [task] = (await a.tasks.list({ filter: { statuses: ["open"] }, limit: 1 })).items
      if (task === undefined) throw new Error("no open escalation")
      // A conflict: CareValidate's own note changes, then A edits the same field; the push looks first and holds it.
      const record = task.links[0]?.recordId ?? ""
      careValidate.control.activity.step(1, { kinds: ["note"], id: record })
      const edited = await a.tasks.update({ id: task.id, expectedVersion: task.version, patch: { description: "A's" } })
      const conflict = await eventually("A's conflict", async () => (await a.conflicts.list({ taskId: task.id }))[0])
      // A queued change that stays queued: the connection is paused before a second edit.
      await a.connections.pause({ id: connection.id })
      const current = await a.tasks.get({ id: edited.id })
      await a.tasks
        .update({ id: task.id, expectedVersion: current.version, patch: { title: `${current.title}!` } })
        .catch(() => null)
      const [entry] = await a.sync.outbox({ state: "pending" })
      const [token] = await a.tokens.list()
      const latest = await a.tasks.get({ id: task.id })
      ids = {
        task: task.id,
        version: latest.version,
        connection: connection.id,
        entry: entry?.id ?? nowhere().entry,
        conflict: conflict.id,
        token: token?.id ?? "",
        deletion: nowhere().deletion,
      }
    }, 180_000)

    afterAll(async () => {
      await harness?.close()
      await careValidate?.close()
    })

    it("has a row for every procedure", () => {
      expect(procedures.map(([path]) => path).sort()).toEqual(Object.keys(calls).sort())
    })

    for (const [path] of procedures) {
      it(`${path}: another organization learns nothing of A's`, async () => {
        const row = calls[path]
        if (row === undefined) throw new Error(`no row for ${path}`)
        if (row.kind === "by-id") {
          const foreign = await answer(row.call(ids)(b))
          const unknown = await answer(row.call(nowhere())(b))
          expect(foreign, `${path}: A's ids answer like ids that exist nowhere`).toEqual(unknown)
          expect(foreign.code).not.toBe("INTERNAL_SERVER_ERROR")
        } else {
          // What B reads never names A's task, connection or token (their ids are unique UUIDs).
          const seen = await answer(row.call(ids)(b))
          const text = JSON.stringify(seen)
          for (const id of [ids.task, ids.connection, ids.token]) expect(text, `${path} leaks ${id}`).not.toContain(id)
        }
      })
    }

    it("refuses a viewer every mutation, before it reads the input", async () => {
      for (const [path, procedure] of procedures) {
        if (procedure._def.type !== "mutation") continue
        const row = calls[path]
        if (row === undefined) throw new Error(`no row for ${path}`)
        const refused = await answer(row.call(ids)(viewer))
        expect(refused.code, path).toBe("FORBIDDEN")
      }
      // And A's own data is as it was.
      expect((await a.tasks.get({ id: ids.task })).version).toBe(ids.version)
    })
  })
}
