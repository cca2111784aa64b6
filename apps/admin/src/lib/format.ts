// How the console shows the domain's wire values to people: due dates (and whether one is overdue), assignees,
// priorities, statuses, vendors and instants. Pure functions of the values tRPC returns.
import type { Task } from "./trpc.ts"

export const vendorNames: Record<string, string> = {
  candid: "Candid Health",
  vambe: "Vambe",
  koreai: "Kore.ai",
  spry: "Spry",
  carevalidate: "CareValidate",
}
export const vendors = Object.keys(vendorNames)
export const kinds = ["task", "escalation", "waitlist-request"] as const
export const statuses = ["open", "in_progress", "waiting", "done", "cancelled"] as const
export const priorities = ["none", "low", "normal", "high", "urgent"] as const

export const kindLabel = (kind: string) =>
  kind === "waitlist-request" ? "Waitlist request" : kind === "escalation" ? "Escalation" : "Task"
/** The inbox column's shorter form. */
export const kindShort = (kind: string) =>
  kind === "waitlist-request" ? "Waitlist" : kind === "escalation" ? "Escalation" : "Task"
export const statusLabel = (status: string) => (status === "in_progress" ? "In progress" : cap(status))
export const cap = (text: string) => (text === "" ? text : text[0]?.toUpperCase() + text.slice(1))

type Due = Task["due"]

/** The instant a due date ends (a window's last day, an all-day date's end), for overdue checks. */
export const dueEnd = (due: Due): number | null => {
  switch (due._tag) {
    case "None":
      return null
    case "Instant":
      return Date.parse(due.at)
    case "AllDay":
      return Date.parse(`${due.date}T23:59:59Z`)
    case "Window":
      return Date.parse(`${due.end}T23:59:59Z`)
  }
}

export const dueLabel = (due: Due): string => {
  switch (due._tag) {
    case "None":
      return "—"
    case "Instant":
      return new Date(due.at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })
    case "AllDay":
      return due.date
    case "Window":
      // Same year: "2026-11-20 – 11-27", short enough for the inbox's column.
      return `${due.start} – ${due.end.slice(0, 4) === due.start.slice(0, 4) ? due.end.slice(5) : due.end}`
  }
}

const closed = new Set(["done", "cancelled"])
export const isOverdue = (task: Pick<Task, "due" | "status">, now = Date.now()): boolean => {
  const end = dueEnd(task.due)
  return end !== null && end < now && !closed.has(task.status)
}

type Assignee = Task["assignees"][number]
export const assigneeLabel = (a: Assignee): string =>
  a._tag === "User" ? a.id : a._tag === "Queue" ? `queue ${a.name ?? a.id}` : a.email

export const assigneesLabel = (list: ReadonlyArray<Assignee>) =>
  list.length === 0 ? "Unassigned" : list.map(assigneeLabel).join(", ")

/** "3 min ago", "2 h ago", or the date. */
export const ago = (iso: string, now = Date.now()): string => {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`
  return new Date(iso).toISOString().slice(0, 10)
}

export const instant = (iso: string | null) =>
  iso === null ? "—" : new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })

/** A JSON value as one short line (conflict sides, history values). */
export const jsonLine = (value: unknown): string => {
  if (value === null || value === undefined) return "(empty)"
  if (typeof value === "string") return value
  if (typeof value === "object" && "_tag" in (value as object)) {
    const tagged = value as { _tag: string } & Record<string, unknown>
    if (tagged._tag === "None") return "(none)"
    if (tagged._tag === "Instant" || tagged._tag === "AllDay" || tagged._tag === "Window")
      return dueLabel(tagged as unknown as Due)
    if (tagged._tag === "User" || tagged._tag === "Queue" || tagged._tag === "Email")
      return assigneeLabel(tagged as unknown as Assignee)
  }
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map(jsonLine).join(", ")
  return JSON.stringify(value)
}
