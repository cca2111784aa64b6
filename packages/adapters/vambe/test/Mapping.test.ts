// Vambe mapping, status learning and window planning as pure functions: wire task → record (statuses by type, an
// unknown type flagged, the three priority spellings, dues, subjects, locator), changes → the partial PUT, drafts →
// the create body, the learned configuration after renames and reorders, and listing plans that cover every date.
import { describe, expect, it } from "@effect/vitest"
import { Assignee } from "@taskbridge/domain/Assignment"
import { IanaZone, PlainDate } from "@taskbridge/domain/Due"
import { UserId } from "@taskbridge/domain/Ids"
import { Title } from "@taskbridge/domain/Task"
import { DateTime, Result } from "effect"
import { fromChange, fromDraft, locatorOf, toRecord, versionOf } from "../src/Mapping.ts"
import type { Task } from "../src/Schema.ts"
import { learn, schemeOf } from "../src/Statuses.ts"
import { covers, FIRST_DAY, LAST_DAY, mergePlan, uniformPlan } from "../src/Sync.ts"

const ana = "6fa459ea-ee8a-4ca4-894e-db77e160355e"
const luis = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
const santiago = IanaZone.make("America/Santiago")

const task: Task = {
  id: "0f8fad5b-d9cb-469f-a165-70867728950e",
  title: "Llamar por la cotización",
  description: "Prefiere WhatsApp",
  due_timezone: "America/Santiago",
  due_at: "2026-02-03T13:30:00.000Z",
  is_all_day: false,
  created_at: "2026-01-10T12:00:00.000Z",
  ai_contact_id: "contact-1",
  ai_customer_id: null,
  task_status_config_id: "s-1",
  priority: 2,
  creator_id: ana,
  task_responsibles: [{ responsible_id: ana }],
  status_config: { id: "s-1", name: "En Progreso", color: "#60a5fa", type: "in_progress", order: 1 },
}

describe("Vambe task → record", () => {
  it("maps status, priority, due in its zone, responsibles, contact and locator", () => {
    const record = toRecord(task)
    expect(record.snapshot.vendorStatus).toBe("En Progreso")
    expect(record.snapshot.fields.status).toBe("in_progress")
    expect(record.snapshot.fields.priority).toBe("high")
    expect(record.snapshot.fields.due).toEqual({
      _tag: "Instant",
      at: DateTime.makeUnsafe("2026-02-03T13:30:00.000Z"),
      zone: "America/Santiago",
    })
    expect(record.snapshot.fields.assignees).toEqual([Assignee.cases.User.make({ id: UserId.make(ana) })])
    expect(record.snapshot.subjects).toEqual({ contact: { id: "contact-1" } })
    expect(record.parent).toBe("due:2026-02-03")
    expect(record.unknownValues).toEqual([])
  })

  it("reads an all-day task as its date and an undated one with the undated locator", () => {
    const allDay = toRecord({ ...task, due_at: "2026-02-03T00:00:00.000Z", is_all_day: true })
    expect(allDay.snapshot.fields.due).toEqual({ _tag: "AllDay", date: "2026-02-03", zone: "America/Santiago" })
    const undated = toRecord({ ...task, due_at: null, due_timezone: null })
    expect(undated.snapshot.fields.due).toEqual({ _tag: "None" })
    expect(undated.parent).toBe("undated")
    expect(locatorOf({ due_at: null })).toBe("undated")
  })

  it("keeps a status type it has never seen, flagged, and reads it as in progress", () => {
    const status_config = { id: "s-9", name: "Archivado", color: "#000000", type: "archived", order: 9 }
    const record = toRecord({ ...task, status_config })
    expect(record.snapshot.vendorStatus).toBe("Archivado")
    expect(record.snapshot.fields.status).toBe("in_progress")
    expect(record.unknownValues).toEqual([{ field: "status_config.type", value: "archived", fallback: "in_progress" }])
  })

  it('gives the same version for 2, "2" and "high", and another for other content', () => {
    expect(versionOf({ ...task, priority: "2" })).toBe(versionOf(task))
    expect(versionOf({ ...task, priority: "high" })).toBe(versionOf(task))
    expect(versionOf({ ...task, title: "Otra" })).not.toBe(versionOf(task))
    expect(versionOf({ ...task, task_responsibles: [{ responsible_id: luis }] })).not.toBe(versionOf(task))
  })
})

describe("domain change → Vambe PUT", () => {
  const body = (change: Parameters<typeof fromChange>[0]) => Result.getOrThrow(fromChange(change))

  it("writes status by name only, priority as a string, and the whole responsible set", () => {
    const users = [ana, luis].map((id) => Assignee.cases.User.make({ id: UserId.make(id) }))
    expect(body({ fields: { priority: "low", assignees: users }, vendorStatus: "Completado" })).toEqual({
      priority: "0",
      responsibleIds: [ana, luis],
      newStatusName: "Completado",
    })
  })

  it("sends date, time and zone together for a timed due, and nulls to clear one", () => {
    const at = DateTime.makeUnsafe("2026-07-01T13:15:00Z")
    expect(body({ fields: { due: { _tag: "Instant", at, zone: santiago } } })).toEqual({
      dueDate: "2026-07-01",
      dueTime: "09:15",
      timezone: "America/Santiago",
    })
    expect(body({ fields: { due: { _tag: "AllDay", date: PlainDate.make("2026-07-02") } } })).toEqual({
      dueDate: "2026-07-02",
      dueTime: null,
      timezone: null,
    })
    expect(body({ fields: { due: { _tag: "None" } } })).toEqual({ dueDate: null, dueTime: null, timezone: null })
  })

  it("refuses what Vambe cannot hold, naming the field", () => {
    const field = (change: Parameters<typeof fromChange>[0]) => {
      const result = fromChange(change)
      return Result.isFailure(result) && result.failure.reason._tag === "Validation"
        ? result.failure.reason.field
        : "accepted"
    }
    expect(field({ fields: { priority: "urgent" } })).toBe("priority")
    expect(field({ fields: { assignees: [Assignee.cases.Email.make({ email: "a@b.cl" })] } })).toBe("assignees")
    expect(field({ fields: { due: { _tag: "Instant", at: DateTime.makeUnsafe("2026-07-01T13:15:00Z") } } })).toBe("due")
    expect(field({ fields: {}, note: "hola" })).toBe("notes")
    expect(field({ fields: {} })).toBeNull()
  })

  it("builds a create body without the fields the draft leaves empty", () => {
    const draft = {
      key: "k",
      snapshot: {
        fields: {
          title: Title.make("Nueva"),
          description: null,
          status: "open" as const,
          priority: "normal" as const,
          due: { _tag: "None" as const },
          assignees: [Assignee.cases.User.make({ id: UserId.make(ana) })],
          tags: [],
        },
        vendorStatus: "Pendiente",
        subjects: { customer: { id: "cust-7" } },
        notes: [],
        extension: null,
      },
    }
    expect(Result.getOrThrow(fromDraft(draft))).toEqual({
      title: "Nueva",
      responsibleIds: [ana],
      priority: "1",
      aiCustomerId: "cust-7",
    })
  })
})

describe("learned status configuration", () => {
  const pendiente = { id: "a", name: "Pendiente", color: "#f59e0b", type: "initial", order: 0 }
  const completado = { id: "b", name: "Completado", color: "#22c55e", type: "done", order: 1 }

  it("replaces an entry an admin renamed or reordered, so names and positions stay unambiguous", () => {
    const first = learn([], [pendiente, completado])
    const renamed = learn(first, [{ ...completado, name: "Listo" }])
    expect(renamed.map((s) => s.name)).toEqual(["Pendiente", "Listo"])
    const reordered = learn(renamed, [{ id: "c", name: "Nuevo", color: "#fff", type: "initial", order: 0 }])
    expect(reordered.map((s) => [s.name, s.order])).toEqual([
      ["Nuevo", 0],
      ["Listo", 1],
    ])
  })

  it("makes done and master_done terminal, with master_done preferred for done", () => {
    const cerrado = { id: "c", name: "Cerrado", color: "#64748b", type: "master_done", order: 2 }
    const scheme = Result.getOrThrow(schemeOf(learn([], [pendiente, completado, cerrado])))
    expect(scheme.statuses.map((s) => [s.name, s.terminal])).toEqual([
      ["Pendiente", false],
      ["Completado", true],
      ["Cerrado", true],
    ])
    expect(scheme.preferred).toEqual({ done: "Cerrado" })
    expect(Result.isFailure(schemeOf([]))).toBe(true)
  })
})

describe("listing plans", () => {
  it("covers every date exactly once, first plan and merged plan alike", () => {
    const plan = uniformPlan(20_000, 30)
    expect(covers(plan)).toBe(true)
    const merged = mergePlan(
      plan.map((window, i) => ({ window, count: i === 5 ? 90 : 3 })),
      75,
    )
    expect(covers(merged)).toBe(true)
    expect(merged.length).toBeLessThan(plan.length)
    expect(merged.some((w) => w.from === plan[5]?.from && w.to === plan[5]?.to)).toBe(true)
    expect(
      covers([
        { _tag: "Dated", from: FIRST_DAY, to: 10 },
        { _tag: "Dated", from: 12, to: LAST_DAY },
      ]),
    ).toBe(false)
  })
})
