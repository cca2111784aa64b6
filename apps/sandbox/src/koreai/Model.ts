// Kore.ai case-management data in memory (vendor-docs §3.4, §3.5): accounts with JWT apps, stream and configuration,
// cases and tasks. Epoch ms here, ISO on the wire; tasks hold status and priority by `_id`, so admin edits show.

import type { OrganizationBase } from "../framework/Organizations.ts"
import type { JwtApp } from "../framework/SelfSignedJwtAuth.ts"

/** [D: api-introduction] The scope an app needs (and must have published) for every case-management API. */
export const CASE_SCOPE = "Case Management Configuration"

/**
 * [D: configure-cases] The five Status Types; [I] on the wire as lower-case snake case (`open` is the only value
 * seen), which the domain's `koreaiCategory` normalises either way.
 */
export const STATUS_CATEGORIES = ["open", "in_progress", "on_hold", "resolved", "closed"] as const
export type StatusCategory = (typeof STATUS_CATEGORIES)[number]

/** Compatible with the domain's `KoreaiStatusConfig` ({_id, name, statusCategory, isActive, isEnabled}). */
export interface TaskStatus {
  readonly _id: string
  name: string
  lname: string
  statusCategory: StatusCategory
  /** System statuses cannot be edited, only deactivated [D]. */
  readonly type: "system" | "custom"
  desc: string
  isEnabled: boolean
  isActive: boolean
}

/** Compatible with the domain's `KoreaiPriorityObject`; `score` is the admin UI's "Value", 1–15 [D]. */
export interface TaskPriority {
  readonly _id: string
  name: string
  lname: string
  readonly type: "system" | "custom"
  desc: string
  color: string
  isEnabled: boolean
  isActive: boolean
  score: number
}

export interface Queue {
  readonly _id: string
  readonly name: string
}

/** A Kore.ai user: agents, the task's requester (`userInfo`), and who created or last updated it. */
export interface Agent {
  readonly _id: string
  readonly name: string
  readonly emailId: string
}

export interface App extends JwtApp {
  readonly name: string
  readonly accountId: string
}

export interface Account extends OrganizationBase {
  /** 24 hex characters, as the docs' `6639f7bd58c97ffac03bxxxx`. `organizationId` holds the same value. */
  readonly accountId: string
  readonly orgId: string
  /** The bot / stream id (`st-…`) every path carries. */
  readonly streamId: string
  /** The first and third apps have the case-management scope; the second was published without it (its 401). */
  readonly apps: ReadonlyArray<App>
  /** Who the API writes as (`createdBy` / `updatedBy` of an API call): the apps' bot user [I]. */
  readonly apiUser: Agent
  statuses: Array<TaskStatus>
  priorities: Array<TaskPriority>
  readonly queues: ReadonlyArray<Queue>
  readonly agents: ReadonlyArray<Agent>
  /** Task templates (`ttm-…`) a new task is made from; createTask refuses any other [D: create-a-task]. */
  readonly templates: ReadonlyArray<TaskTemplate>
}

export interface TaskTemplate {
  readonly _id: string
  readonly name: string
}

export interface Case {
  readonly _id: string
  readonly org: number
  readonly refId: string
  name: string
  desc: string
  readonly userInfo: Readonly<Record<string, unknown>>
  readonly source: string
  readonly taskIds: Array<string>
  readonly createdAt: number
  updatedAt: number
}

/** Assignment [I]: the docs show only "unassigned"; a queue or an individual agent are the template's other kinds. */
export const ASSIGNEE_TYPES = ["unassigned", "queue", "agent"] as const

export interface Task {
  readonly _id: string
  readonly org: number
  readonly caseId: string
  readonly caseRefId: string
  readonly refId: string
  readonly createdAt: number
  updatedAt: number
  name: string
  desc: string
  createdBy: Agent
  updatedBy: Agent
  statusId: string
  priorityId: string
  currAssignee: string | null
  queues: Array<string>
  dueDate: number | null
  /**
   * Every other documented field, stored as the client last wrote it (`tags`, `userInfo`, `fields`, `ETA`, ...):
   * the update endpoint merges "any subset" of them into the document [D], so they are kept as plain JSON.
   */
  readonly doc: Record<string, unknown>
}

/** Namespaces for deterministic ids (framework/Ids.ts `uuidOf`). */
export const NS = {
  account: 0x6b01,
  app: 0x6b02,
  stream: 0x6b03,
  status: 0x6b04,
  priority: 0x6b05,
  queue: 0x6b06,
  agent: 0x6b07,
  case: 0x6b08,
  task: 0x6b09,
  created: 0x6b0a,
  user: 0x6b0b,
  template: 0x6b0c,
  /** Secrets and the account id get namespaces of their own, so no id's hex gives away any part of them. */
  secret: 0x6b0d,
  accountId: 0x6b0e,
} as const

/** The documented fields a new task starts with; `overrides` are the ones the creator chose. */
export const defaultDoc = (overrides: Readonly<Record<string, unknown>>): Record<string, unknown> => ({
  taskTmp: "",
  caseTmp: "",
  lname: "",
  tags: [],
  userInfo: {},
  sessIds: [],
  lid: "",
  convIds: [],
  language: "english",
  source: "rtm",
  conversationType: "TASK",
  fields: [],
  participants: [],
  assigneeType: "unassigned",
  isCustTsk: false,
  isActive: true,
  taskIds: [],
  attachments: [],
  feedback: [],
  activityIds: [],
  commentIds: [],
  resolutionCmts: [],
  isBreached: false,
  supportCustomTasks: false,
  channel: [],
  ETA: "",
  ...overrides,
})
