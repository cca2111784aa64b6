// The API over real HTTP with the real tRPC client (batched queries, mutations, error shapes) and the vendor webhook
// receiver, against the CareValidate emulator: escalations listed and edited through the API reach CareValidate,
// a signed webhook becomes a pull, and an unsigned or wrongly signed one is refused with 401.
import { createHmac } from "node:crypto"
import { backends } from "@taskbridge/db/testing/Backends"
import { startCareValidate } from "@taskbridge/sandbox/carevalidate/Emulator"
import { eventually } from "@taskbridge/vitest-config/eventually"
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { AppRouter } from "../src/Router.ts"
import { type ApiServer, listen } from "../src/Server.ts"
import { type Harness, startHarness } from "./support/harness.ts"

const secret = "whsec-http-test"

for (const backend of backends) {
  describe(`API over HTTP on ${backend.name}`, () => {
    let harness: Harness
    let server: ApiServer
    let careValidate: Awaited<ReturnType<typeof startCareValidate>>
    let token: string
    let connectionId: string

    const client = (bearer: string) =>
      createTRPCClient<AppRouter>({
        links: [httpBatchLink({ url: `${server.url}/trpc`, headers: () => ({ authorization: `Bearer ${bearer}` }) })],
      })

    beforeAll(async () => {
      careValidate = await startCareValidate({ port: 0, seed: 8, size: 25 })
      harness = await startHarness(backend)
      server = await listen(harness.runtime, { port: 0 })
      token = (await harness.organization("http")).token
      const tenant = careValidate.state().store.orgs[0]
      if (tenant === undefined) throw new Error("no CareValidate organization")
      const created = await client(token).connections.create.mutate({
        vendor: "carevalidate",
        name: "CareValidate",
        baseUrl: careValidate.url,
        credentials: { apiKey: tenant.apiKey, webhookSecret: secret },
      })
      connectionId = created.id
      await eventually("the backfill", async () => {
        const [status] = await client(token).sync.status.query()
        return status?.backfill?.state === "succeeded" ? status : undefined
      })
    }, 120_000)

    afterAll(async () => {
      await server?.close()
      await harness?.close()
      await careValidate?.close()
    })

    it("answers queries and mutations through the tRPC client, with typed errors", async () => {
      const api = client(token)
      // Escalations are work items of kind `escalation`: listed, read and edited like any task (the note is the
      // description), by the same procedures.
      const page = await api.tasks.list.query({ filter: { kinds: ["escalation"], statuses: ["open"] }, limit: 5 })
      const escalation = page.items[0]
      if (escalation === undefined) throw new Error("no active escalation was backfilled")
      const got = await api.tasks.get.query({ id: escalation.id })
      expect(got.kind).toBe("escalation")
      const caseId = got.links[0]?.parent ?? ""
      expect(got.subjects.case?.id).toBe(caseId)

      const note = `Called the member on ${new Date().toISOString()}`
      const updated = await api.tasks.update.mutate({
        id: escalation.id,
        expectedVersion: escalation.version,
        patch: { description: note },
      })
      expect(updated.description).toBe(note)
      // The note reaches CareValidate: its own API shows it.
      await eventually("the note at CareValidate", async () => {
        const outbox = await api.sync.outbox.query({ state: "pending" })
        return outbox.length === 0 ? true : undefined
      })
      const vendorCase = careValidate.state().store.cases.find((c) => c.id === caseId)
      expect(vendorCase?.escalations.some((e) => e.note === note)).toBe(true)

      // Clearing the note is something CareValidate cannot do: refused before anything is stored or queued.
      const current = await api.tasks.get.query({ id: escalation.id })
      const cleared = await api.tasks.update
        .mutate({ id: escalation.id, expectedVersion: current.version, patch: { description: null } })
        .then(
          () => null,
          (e: unknown) => e as TRPCClientError<AppRouter>,
        )
      expect(cleared?.data?.code).toBe("BAD_REQUEST")
      expect(cleared?.message).toContain("description (not-clearable): carevalidate cannot clear description")
      expect((await api.tasks.get.query({ id: escalation.id })).version).toBe(current.version)
      expect(await api.sync.outbox.query({ state: "pending" })).toEqual([])

      const stale = await api.tasks.update
        .mutate({ id: escalation.id, expectedVersion: escalation.version, patch: { description: "late" } })
        .then(
          () => null,
          (e: unknown) => e as TRPCClientError<AppRouter>,
        )
      expect(stale).toBeInstanceOf(TRPCClientError)
      expect(stale?.data?.code).toBe("CONFLICT")
      expect(stale?.message).toContain("expectedVersion")

      const shape = await api.tasks.list.query({ filter: { statuses: ["nope" as "open"] } }).then(
        () => null,
        (e: unknown) => e as TRPCClientError<AppRouter>,
      )
      expect(shape?.data?.code).toBe("BAD_REQUEST")
      expect(shape?.message).toContain("filter.statuses.0")
      expect(shape?.data?.stack).toBeUndefined()

      const anonymous = await fetch(`${server.url}/trpc/tasks.list?input=${encodeURIComponent("{}")}`)
      expect(anonymous.status).toBe(401)
    })

    it("turns a signed webhook into a pull and refuses unsigned or wrongly signed ones", async () => {
      const url = `${server.url}/webhooks/carevalidate/${connectionId}`
      const body = JSON.stringify({ event: "ESCALATE_CASE", payload: { case: { id: "x" } } })
      const post = (headers: Record<string, string>) =>
        fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
      expect((await post({})).status).toBe(401)
      const wrong = createHmac("sha256", "not-the-secret").update(body).digest("hex")
      expect((await post({ "x-cv-signature": wrong })).status).toBe(401)
      const elsewhere = await fetch(`${server.url}/webhooks/carevalidate/no-such-connection`, {
        method: "POST",
        headers: { "x-cv-signature": createHmac("sha256", secret).update(body).digest("hex") },
        body,
      })
      expect(elsewhere.status).toBe(401)
      const runsBefore = (await client(token).sync.status.query())[0]?.lastRun?.id

      const signed = createHmac("sha256", secret).update(body).digest("hex")
      const accepted = await post({ "x-cv-signature": signed })
      expect(accepted.status).toBe(202)
      const run = await eventually("the webhook-triggered pull", async () => {
        const last = (await client(token).sync.status.query())[0]?.lastRun
        return last !== null && last !== undefined && last.id !== runsBefore && last.state !== "running"
          ? last
          : undefined
      })
      expect(run.kind).toBe("webhook")
      expect(run.state).toBe("succeeded")

      // The emulator's own signed deliveries are accepted the same way.
      const target = await fetch(`${careValidate.url}/_sandbox/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url, secret }),
      }).then((r) => r.json() as Promise<{ id: string }>)
      const step = await fetch(`${careValidate.url}/_sandbox/activity/step`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ kinds: ["complete"] }),
      })
      expect(step.status).toBe(200)
      const delivered = await eventually("the emulator's delivery", async () => {
        const log = (await fetch(`${careValidate.url}/_sandbox/webhooks/deliveries?targetId=${target.id}`).then((r) =>
          r.json(),
        )) as { deliveries: Array<{ state: string; status: number | null }> }
        return log.deliveries.find((d) => d.state !== "pending")
      })
      expect(delivered.status).toBe(202)
    })
  })
}
