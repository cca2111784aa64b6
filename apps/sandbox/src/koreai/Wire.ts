// Kore.ai tasks and cases as the API prints them (the update doc's response sample, vendor-docs §3.4): stored fields
// plus the configured status and priority objects, assignee and queues as objects, ISO `createdAt` / `updatedAt`.
import type { Account, Case, Task } from "./Model.ts"
import type { KoreaiStore } from "./Store.ts"

const iso = (ms: number) => new Date(ms).toISOString()

const person = (agent: { readonly _id: string; readonly name: string }) => ({
  name: agent.name,
  _id: agent._id,
  profImage: "no-avatar",
})

export const taskWire = (store: KoreaiStore, task: Task) => {
  const org = store.orgs[task.org] as Account
  const agent = org.agents.find((a) => a._id === task.currAssignee)
  return {
    _id: task._id,
    caseId: task.caseId,
    caseRefId: task.caseRefId,
    // In the response sample's order: the template and the name come first.
    taskTmp: task.doc.taskTmp,
    name: task.name,
    ...task.doc,
    desc: task.desc,
    accountId: org.accountId,
    iId: org.streamId,
    orgId: org.orgId,
    status: store.status(task) ?? null,
    priority: store.priority(task) ?? null,
    refId: task.refId,
    createdBy: person(task.createdBy),
    updatedBy: person(task.updatedBy),
    timestampValue: task.updatedAt,
    dueDate: task.dueDate,
    queues: task.queues.map((id) => org.queues.find((q) => q._id === id) ?? { _id: id }),
    // [N] The samples only show `{}`; [I] an assigned task carries the agent's `_id`, `name` and `emailId`.
    currAssignee: agent === undefined ? {} : { ...agent },
    createdAt: iso(task.createdAt),
    updatedAt: iso(task.updatedAt),
  }
}

export const caseWire = (store: KoreaiStore, kase: Case) => {
  const org = store.orgs[kase.org] as Account
  return {
    _id: kase._id,
    refId: kase.refId,
    name: kase.name,
    lname: kase.name.toLowerCase(),
    desc: kase.desc,
    userInfo: kase.userInfo,
    source: kase.source,
    accountId: org.accountId,
    iId: org.streamId,
    orgId: org.orgId,
    taskIds: [...kase.taskIds],
    conversationType: "CASE",
    createdAt: iso(kase.createdAt),
    updatedAt: iso(kase.updatedAt),
  }
}
