// The push benchmark's client: local edits through the API as a real client makes them (`tasks.update` over tRPC
// HTTP), at a fixed offered rate (open loop: an edit leaves at its scheduled time whatever the previous ones are
// doing, up to `maxInFlight`), spread evenly over the vendors' plans. Reports every edit with its wall-clock times.
import { childInput, report } from "../Child.ts"
import { httpClient } from "../Http.ts"
import { type Edit, nextValue, patchFor, type VendorPlan } from "../PushWorkload.ts"

export interface PushLoadInput {
  readonly url: string
  readonly token: string
  readonly ratePerSecond: number
  readonly seconds: number
  readonly maxInFlight: number
  readonly run: string
  readonly plans: ReadonlyArray<VendorPlan>
}

export interface PushLoadResult {
  readonly edits: ReadonlyArray<Edit>
  /** Edits that left more than 50 ms after their scheduled time (the in-flight cap or this process was behind). */
  readonly late: number
  readonly millis: number
  readonly peakRssBytes: number
}

const input = childInput<PushLoadInput>()
const wallClock = () => performance.timeOrigin + performance.now()
const client = httpClient(
  input.url,
  { authorization: `Bearer ${input.token}`, "content-type": "application/json" },
  input.maxInFlight,
)

// Per task: its last known version and assignee, so the next edit of it is current and changes something.
const versions = new Map<string, number>()
const assignees = new Map<string, string | null>()
for (const plan of input.plans)
  for (const t of plan.targets) {
    versions.set(t.taskId, t.version)
    assignees.set(t.taskId, t.assignee)
  }

const edit = async (sequence: number): Promise<Edit> => {
  const plan = input.plans[sequence % input.plans.length] as VendorPlan
  const target = plan.targets[Math.floor(sequence / input.plans.length) % plan.targets.length]
  if (target === undefined) throw new Error(`no targets for ${plan.vendor}`)
  const value = nextValue(plan, assignees.get(target.taskId) ?? null, sequence, input.run)
  const sentAt = wallClock()
  let staleRetries = 0
  for (;;) {
    const answer = await client.post(
      "/trpc/tasks.update",
      JSON.stringify({
        id: target.taskId,
        expectedVersion: versions.get(target.taskId) ?? target.version,
        patch: patchFor(plan.field, value),
      }),
    )
    const text = answer.body.toString("utf8")
    const at = wallClock()
    if (answer.ok) {
      const version = (JSON.parse(text) as { result: { data: { version: number } } }).result.data.version
      versions.set(target.taskId, Math.max(version, versions.get(target.taskId) ?? 0))
      assignees.set(target.taskId, value)
      const base = { vendor: plan.vendor, taskId: target.taskId, recordId: target.recordId, value, sentAt }
      return { ...base, acceptedAt: at, status: answer.status, staleRetries }
    }
    // The version moved (an adopted push answer, a pull): the refusal names the current one; try again with it.
    const current = /"currentVersion":(\d+)/.exec(text)?.[1]
    if (answer.status === 409 && current !== undefined && staleRetries < 5) {
      versions.set(target.taskId, Number(current))
      staleRetries += 1
      continue
    }
    const base = { vendor: plan.vendor, taskId: target.taskId, recordId: target.recordId, value, sentAt }
    return { ...base, acceptedAt: null, status: answer.status, staleRetries }
  }
}

const total = Math.round(input.ratePerSecond * input.seconds)
const edits: Array<Edit> = []
const started = wallClock()
let next = 0
let inFlight = 0
let late = 0
await new Promise<void>((done) => {
  const tick = () => {
    const now = wallClock()
    while (next < total && inFlight < input.maxInFlight && started + (next * 1000) / input.ratePerSecond <= now) {
      if (now - (started + (next * 1000) / input.ratePerSecond) > 50) late += 1
      inFlight += 1
      void edit(next++).then(
        (e) => {
          edits.push(e)
          inFlight -= 1
        },
        (error: unknown) => {
          inFlight -= 1
          console.error(error)
        },
      )
    }
    if (next >= total && inFlight === 0) done()
    else setTimeout(tick, 1)
  }
  tick()
})
client.close()
report({ edits, late, millis: wallClock() - started } satisfies Omit<PushLoadResult, "peakRssBytes">)
