// The inbox's saved view as URL search params: filters, text search and sort, parsed defensively (a hand-edited or
// old link never breaks the page), and turned into the `tasks.list` filter the API takes.
import { kinds, statuses, vendors } from "../lib/format.ts"

export interface InboxSearch {
  readonly vendor?: ReadonlyArray<string>
  readonly kind?: ReadonlyArray<string>
  readonly status?: ReadonlyArray<string>
  readonly assignee?: string
  readonly q?: string
  readonly overdue?: boolean
  readonly conflict?: boolean
  readonly failed?: boolean
  readonly sort?: "updated-desc" | "updated-asc"
}

const list = (value: unknown, allowed: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
  const raw = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : []
  const kept = raw.filter((v): v is string => typeof v === "string" && allowed.includes(v))
  return kept.length === 0 ? undefined : kept
}
const flag = (value: unknown) => value === true || value === "true" || value === 1 || value === "1"
const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.slice(0, 200) : undefined)

export const parseInboxSearch = (search: Record<string, unknown>): InboxSearch => {
  const out: Record<string, unknown> = {
    vendor: list(search.vendor, vendors),
    kind: list(search.kind, kinds),
    status: list(search.status, statuses),
    assignee: text(search.assignee),
    q: text(search.q),
    overdue: flag(search.overdue) || undefined,
    conflict: flag(search.conflict) || undefined,
    failed: flag(search.failed) || undefined,
    sort: search.sort === "updated-asc" ? "updated-asc" : undefined,
  }
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key]
  return out as InboxSearch
}

/** An assignee typed in the filter: an e-mail, `queue:<id>`, or a user id. */
const assigneeOf = (raw: string) =>
  raw.includes("@")
    ? { _tag: "Email" as const, email: raw }
    : raw.startsWith("queue:")
      ? { _tag: "Queue" as const, id: raw.slice(6) }
      : { _tag: "User" as const, id: raw }

/** The `tasks.list` filter of a saved view. */
export const filterOf = (search: InboxSearch) => ({
  ...(search.vendor === undefined ? {} : { vendors: search.vendor as never }),
  ...(search.kind === undefined ? {} : { kinds: search.kind as never }),
  ...(search.status === undefined ? {} : { statuses: search.status as never }),
  ...(search.assignee === undefined ? {} : { assignees: [assigneeOf(search.assignee)] as never }),
  ...(search.q === undefined ? {} : { text: search.q }),
  ...(search.overdue === true ? { overdue: true } : {}),
  ...(search.conflict === true ? { hasConflict: true } : {}),
  ...(search.failed === true ? { hasFailedPush: true } : {}),
})
