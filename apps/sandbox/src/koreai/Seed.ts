// Deterministic Kore.ai seeding: accounts (stream, JWT apps, statuses, priorities, queues, agents, templates), then
// cases of one to four tasks, `size` in all (the first account holds half), created over the 90 days before the anchor.
import { DAY_MS, FIRST_NAMES, fullName, LAST_NAMES } from "../framework/Fake.ts"
import { hash32, Rng } from "../framework/Prng.ts"
import { deterministicSecret } from "../framework/Secrets.ts"
import {
  type Account,
  type Agent,
  CASE_SCOPE,
  type Case,
  defaultDoc,
  NS,
  type Task,
  type TaskPriority,
  type TaskStatus,
} from "./Model.ts"
import { prefixed, refOf } from "./Refs.ts"
import {
  ACCOUNT_NAMES,
  CASE_NAMES,
  CUSTOM_PRIORITIES,
  CUSTOM_STATUSES,
  QUEUE_NAMES,
  SYSTEM_PRIORITIES,
  SYSTEM_STATUSES,
  TASK_DESCRIPTIONS,
  TASK_NAMES,
  TEMPLATE_NAMES,
} from "./Text.ts"

export interface SeedInput {
  readonly seed: number
  readonly size: number
  readonly accounts: number
  readonly anchorMs: number
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z]+/g, "")

const agent = (rng: Rng, seed: number, account: number, n: number): Agent => {
  const first = rng.pick(FIRST_NAMES)
  const last = rng.pick(LAST_NAMES)
  return {
    _id: prefixed("u", NS.agent, seed, account, n),
    name: `${first} ${last}`,
    emailId: `${slug(first)}.${slug(last)}${n}@example.org`,
  }
}

const statuses = (seed: number, index: number): Array<TaskStatus> =>
  [
    ...SYSTEM_STATUSES.map((s) => ({ ...s, type: "system" as const, isActive: true })),
    ...CUSTOM_STATUSES.map((s) => ({ ...s, type: "custom" as const })),
  ].map((s, i) => ({
    _id: prefixed("sts", NS.status, seed, index, i),
    name: s.name,
    lname: s.name.toLowerCase(),
    statusCategory: s.statusCategory,
    type: s.type,
    desc: "",
    isEnabled: true,
    isActive: s.isActive,
  }))

const priorities = (seed: number, index: number): Array<TaskPriority> =>
  [
    ...SYSTEM_PRIORITIES.map((p) => ({ ...p, type: "system" as const, isActive: true })),
    ...CUSTOM_PRIORITIES.map((p) => ({ ...p, type: "custom" as const })),
  ].map((p, i) => ({
    _id: prefixed("pr", NS.priority, seed, index, i),
    name: p.name,
    lname: p.name.toLowerCase(),
    type: p.type,
    desc: "",
    color: p.color,
    isEnabled: true,
    isActive: p.isActive,
    score: p.score,
  }))

export const account = (seed: number, index: number): Account => {
  const rng = new Rng(hash32(seed, NS.account, index))
  const accountId = deterministicSecret("", NS.accountId, seed, index)
  const name = ACCOUNT_NAMES[(hash32(seed) + index) % ACCOUNT_NAMES.length] ?? "Kore.ai Demo"
  const app = (n: number, scopes: ReadonlyArray<string>) => ({
    appId: prefixed("cs", NS.app, seed, index, n),
    secret: deterministicSecret("", NS.secret, seed, index, n) + deterministicSecret("", NS.secret, seed, index, n, 1),
    org: index,
    scopes,
    name: ["taskbridge sync", "reporting (no case scope)", "taskbridge worker"][n] ?? "app",
    accountId,
  })
  return {
    index,
    organizationId: accountId,
    name,
    accountId,
    orgId: prefixed("o", NS.account, seed, index),
    streamId: prefixed("st", NS.stream, seed, index),
    apps: [app(0, [CASE_SCOPE]), app(1, ["Chat History"]), app(2, [CASE_SCOPE])],
    apiUser: { _id: prefixed("u", NS.user, seed, index), name: "taskbridge sync", emailId: "api@example.org" },
    statuses: statuses(seed, index),
    priorities: priorities(seed, index),
    queues: QUEUE_NAMES.map((q, i) => ({ _id: prefixed("qu", NS.queue, seed, index, i), name: q })),
    agents: Array.from({ length: 6 }, (_, n) => agent(rng, seed, index, n)),
    templates: TEMPLATE_NAMES.map((t, i) => ({ _id: prefixed("ttm", NS.template, seed, index, i), name: t })),
  }
}

const sharesOf = (size: number, accounts: number): Array<number> => {
  const first = size - Math.floor(size / 2 / Math.max(1, accounts - 1)) * (accounts - 1)
  return [first, ...Array<number>(accounts - 1).fill(Math.floor(size / 2 / Math.max(1, accounts - 1)))]
}

// Open work dominates a contact center's queue; resolved and closed tasks linger for reporting.
const STATUS_WEIGHTS: Readonly<Record<string, number>> = {
  open: 30,
  in_progress: 25,
  on_hold: 15,
  resolved: 18,
  closed: 12,
}

interface Counters {
  tasks: number
  cases: number
  readonly taskRefs: Array<number>
  readonly caseRefs: Array<number>
}

const seedTask = (rng: Rng, seed: number, org: Account, kase: Case, counters: Counters, anchorMs: number): Task => {
  const n = counters.tasks++
  const usable = <T extends { isActive: boolean; isEnabled: boolean }>(all: ReadonlyArray<T>) =>
    all.filter((x) => x.isActive && x.isEnabled)
  const active = usable(org.statuses)
  const status = active[rng.weighted(active.map((s) => STATUS_WEIGHTS[s.statusCategory] ?? 1))] ?? active[0]
  const priority = rng.pick(usable(org.priorities))
  const createdAt = Math.max(kase.createdAt, anchorMs - rng.between(DAY_MS / 24, 90 * DAY_MS))
  const updatedAt = createdAt + rng.int(Math.max(1, anchorMs - createdAt))
  const assignment = rng.weighted([60, 25, 15])
  const currAssignee = assignment === 0 ? rng.pick(org.agents)._id : null
  const queues = assignment === 2 ? [] : [rng.pick(org.queues)._id]
  const dueDate = rng.chance(0.7) ? createdAt + rng.between(1, 14) * DAY_MS : null
  const name = rng.pick(TASK_NAMES)
  const closed = status?.statusCategory === "resolved" || status?.statusCategory === "closed"
  const by =
    currAssignee === null ? rng.pick(org.agents) : (org.agents.find((a) => a._id === currAssignee) ?? org.apiUser)
  const ref = (counters.taskRefs[org.index] ?? 0) + 1
  counters.taskRefs[org.index] = ref
  const task: Task = {
    _id: prefixed("ti", NS.task, seed, n),
    org: org.index,
    caseId: kase._id,
    caseRefId: kase.refId,
    refId: refOf("TS", ref),
    createdAt,
    updatedAt,
    name,
    desc: rng.pick(TASK_DESCRIPTIONS),
    createdBy: rng.pick(org.agents),
    updatedBy: by,
    statusId: status?._id ?? "",
    priorityId: priority._id,
    currAssignee,
    queues,
    dueDate,
    doc: defaultDoc({
      taskTmp: rng.pick(org.templates)._id,
      lname: name.toLowerCase(),
      userInfo: kase.userInfo,
      assigneeType: currAssignee !== null ? "agent" : queues.length > 0 ? "queue" : "unassigned",
      isBreached: !closed && dueDate !== null && dueDate < anchorMs,
      channel: [rng.pick(["chat", "email", "voice"])],
    }),
  }
  kase.taskIds.push(task._id)
  return task
}

export const seed = (input: SeedInput) => {
  const orgs = Array.from({ length: Math.max(2, input.accounts) }, (_, i) => account(input.seed, i))
  const counts = sharesOf(input.size, orgs.length)
  const rng = new Rng(hash32(input.seed, NS.task))
  const counters: Counters = { tasks: 0, cases: 0, taskRefs: [], caseRefs: [] }
  const cases: Array<Case> = []
  const tasks: Array<Task> = []
  orgs.forEach((org, i) => {
    let left = counts[i] ?? 0
    while (left > 0) {
      const ref = (counters.caseRefs[i] ?? 0) + 1
      counters.caseRefs[i] = ref
      const createdAt = input.anchorMs - rng.between(2 * DAY_MS, 95 * DAY_MS)
      const kase: Case = {
        _id: prefixed("ci", NS.case, input.seed, counters.cases++),
        org: i,
        refId: refOf("CS", ref),
        name: rng.pick(CASE_NAMES),
        desc: "",
        userInfo: { _id: prefixed("u", NS.user, input.seed, i, counters.cases), name: fullName(rng) },
        source: "rtm",
        taskIds: [],
        createdAt,
        updatedAt: createdAt,
      }
      cases.push(kase)
      for (let k = Math.min(left, rng.between(1, 4)); k > 0; k--, left--) {
        tasks.push(seedTask(rng, input.seed, org, kase, counters, input.anchorMs))
      }
    }
  })
  return { orgs, cases, tasks, taskRefs: counters.taskRefs, caseRefs: counters.caseRefs }
}
