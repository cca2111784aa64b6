// What the push benchmark writes and how it recognises it at the vendor, shared by the load process and the report:
// the field an edit changes at each vendor (read from its manifest, never a vendor list), the tRPC patch and the
// value the vendor's request carries, and the matching of accepted edits to the emulator's request-log entries.
import type { VendorManifest } from "@taskbridge/domain/Capabilities"

/** `description` carries a unique marker; a vendor that cannot write it gets an assignee from its own users. */
export type EditField = "description" | "assignees"

export interface PushTarget {
  readonly taskId: string
  readonly recordId: string
  readonly version: number
  /** The task's current sole assignee (for `assignees` edits, which must change it every time). */
  readonly assignee: string | null
}

export interface VendorPlan {
  readonly vendor: string
  readonly field: EditField
  readonly targets: ReadonlyArray<PushTarget>
  /** User ids seen on the vendor's own tasks: the values an `assignees` edit may take. */
  readonly users: ReadonlyArray<string>
}

/** One edit as the load process saw it; times are wall-clock epoch ms (every process here shares the clock). */
export interface Edit {
  readonly vendor: string
  readonly taskId: string
  readonly recordId: string
  readonly value: string
  readonly sentAt: number
  /** When `tasks.update` answered 200; null when it failed. */
  readonly acceptedAt: number | null
  readonly status: number
  /** Attempts refused as stale (the task's version moved under the load, e.g. a push's answer adopted). */
  readonly staleRetries: number
}

/** A vendor request as the emulator logged it, with its arrival as epoch ms. */
export interface Received {
  readonly seq: number
  readonly at: number
  readonly method: string
  readonly path: string
  readonly body: unknown
}

/**
 * The field a benchmark edit writes at a vendor: its description where writable (any text, so every edit is told
 * apart by its value), else its assignees where it holds users (Candid's description is create-only), else none.
 */
export const editField = (manifest: VendorManifest): EditField | null => {
  const { fields, assigneeKinds } = manifest.capabilities
  if (fields.description === "writable") return "description"
  if (fields.assignees === "writable" && assigneeKinds.includes("User")) return "assignees"
  return null
}

/** The `tasks.update` patch that sets `field` to `value`. */
export const patchFor = (field: EditField, value: string) =>
  field === "description" ? { description: value } : { assignees: [{ _tag: "User", id: value }] }

/** The next value for an edit of `target`: a unique marker, or another of the vendor's users than its current one. */
export const nextValue = (plan: VendorPlan, current: string | null, sequence: number, run: string) => {
  if (plan.field === "description") return `bench ${run} #${sequence}`
  const others = plan.users.filter((u) => u !== current)
  return others[sequence % others.length] ?? plan.users[0] ?? "bench-user"
}

const separators = /[\s"'/?&=,{}[\]]+/
const safeDecode = (path: string) => {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/**
 * Pairs every accepted edit with the first write the vendor received after it, for the same record, carrying the
 * edit's value (the record id in its path or body, the value in its body). Each entry answers one edit only; an edit
 * whose value never arrived but a later edit of its task did is `superseded` by that write; the rest are `unmatched`.
 */
export const matchEdits = (edits: ReadonlyArray<Edit>, received: ReadonlyArray<Received>) => {
  const byRecord = new Map<string, Array<{ readonly entry: Received; readonly text: string; used: boolean }>>()
  const accepted = edits.filter((e) => e.acceptedAt !== null).sort((a, b) => a.sentAt - b.sentAt)
  const records = new Set(accepted.map((e) => e.recordId))
  for (const entry of [...received].sort((a, b) => a.seq - b.seq)) {
    if (entry.method === "GET") continue
    const text = `${safeDecode(entry.path)} ${JSON.stringify(entry.body)}`
    // Ids are whole tokens of a path or a JSON body: one set lookup per token, not a scan per record.
    for (const token of new Set(text.split(separators))) {
      if (!records.has(token)) continue
      const list = byRecord.get(token) ?? []
      list.push({ entry, text, used: false })
      byRecord.set(token, list)
    }
  }
  const matched: Array<{ readonly edit: Edit; readonly entry: Received }> = []
  const missing: Array<Edit> = []
  for (const edit of accepted) {
    // The log's times are whole milliseconds: an entry stamped in the edit's own millisecond still follows it.
    const hit = byRecord
      .get(edit.recordId)
      ?.find((c) => !c.used && c.entry.at >= Math.floor(edit.sentAt) - 1 && c.text.includes(edit.value))
    if (hit === undefined) missing.push(edit)
    else {
      hit.used = true
      matched.push({ edit, entry: hit.entry })
    }
  }
  // An edit still queued when a later one of the same task is accepted is pushed together with it (the engine
  // sends a task's current value): it reached the vendor with the first later edit's write.
  const superseded: Array<{ readonly edit: Edit; readonly entry: Received }> = []
  const unmatched: Array<Edit> = []
  const byTask = new Map<string, Array<{ readonly edit: Edit; readonly entry: Received }>>()
  for (const m of matched) byTask.set(m.edit.taskId, [...(byTask.get(m.edit.taskId) ?? []), m])
  for (const edit of missing) {
    const later = (byTask.get(edit.taskId) ?? [])
      .filter((m) => m.edit.sentAt > edit.sentAt)
      .sort((a, b) => a.entry.seq - b.entry.seq)[0]
    if (later === undefined) unmatched.push(edit)
    else superseded.push({ edit, entry: later.entry })
  }
  return { matched, superseded, unmatched }
}
