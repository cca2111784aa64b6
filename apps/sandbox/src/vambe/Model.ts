// Vambe CRM data model held in memory (vendor-docs §2.4): organizations with their API key, their ordered status
// configuration and their team members, and tasks. Timestamps are epoch ms here and ISO strings on the wire.
// Plain objects: an emulator holds up to a few hundred thousand tasks, and adapter and sync tests read them.
import type { OrganizationBase } from "../framework/Organizations.ts"

/** The only fixed meaning behind an organization's statuses [D: get-tasks page]. */
export const STATUS_TYPES = ["initial", "in_progress", "done", "master_done"] as const
export type StatusType = (typeof STATUS_TYPES)[number]

export const isDoneType = (type: string): boolean => type === "done" || type === "master_done"

export interface StatusConfig {
  readonly id: string
  name: string
  /** Hex, e.g. "#60a5fa" [D]. */
  color: string
  /** A StatusType, or a newer one an organization was configured with through the control API. */
  type: StatusType | (string & {})
  /** What `newStatusPosition` addresses; 0-based, as the doc's examples (0, 1, 2, 3) suggest [I]. */
  order: number
}

/** `GET /api/public/team-members/all` [D: §2.3]. */
export interface TeamMember {
  readonly id: string
  readonly name: string
  readonly first_name: string
  readonly last_name: string
  readonly email: string
  readonly phone: string | null
}

export interface Organization extends OrganizationBase {
  readonly apiKey: string
  /** IANA zone its staff set due times in. */
  readonly timezone: string
  /** Kept sorted by `order`. */
  statuses: Array<StatusConfig>
  readonly members: ReadonlyArray<TeamMember>
}

export type Priority = 0 | 1 | 2

export interface Task {
  readonly id: string
  readonly org: number
  title: string
  description: string | null
  /** Epoch ms; all-day tasks sit at midnight UTC of their date [I]. */
  dueAt: number | null
  dueTimezone: string | null
  isAllDay: boolean
  readonly createdAt: number
  aiContactId: string | null
  aiCustomerId: string | null
  statusId: string
  priority: Priority
  readonly creatorId: string
  responsibles: Array<string>
  /** Soft deletion [D: delete page]: the task stays stored but no route sees it again. */
  deletedAt: number | null
}

/** Namespaces for deterministic ids (framework/Ids.ts `uuidOf`). */
export const NS = {
  org: 0x7a01,
  member: 0x7a02,
  status: 0x7a03,
  task: 0x7a04,
  created: 0x7a05,
  contact: 0x7a06,
  customer: 0x7a07,
  webhookEvent: 0x7a08,
} as const
