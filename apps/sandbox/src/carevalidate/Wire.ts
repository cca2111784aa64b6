// Cases and escalations as CareValidate prints them: ISO 8601 with milliseconds ("2025-05-10T08:00:00.000Z"),
// null for unset values. Escalations ride on the case detail only ([I], see Routes.ts).

import { activeEscalations, type Case, type Escalation } from "./Model.ts"
import type { CareValidateStore } from "./Store.ts"

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export const escalationWire = (e: Escalation) => ({
  id: e.id,
  type: e.type,
  title: e.title,
  note: e.note,
  followUpDueAt: iso(e.followUpDueAt),
  assignedToUserId: e.assignedToUserId,
  isCompleted: e.isCompleted,
  createdAt: iso(e.createdAt),
  updatedAt: iso(e.updatedAt),
})

export type WireEscalation = ReturnType<typeof escalationWire>

export const activeWire = (c: Case): Array<WireEscalation> => activeEscalations(c).map(escalationWire)

const person = (store: CareValidateStore, org: number, id: string | null) => {
  const user = id === null ? undefined : store.userById(org, id)
  return user === undefined
    ? null
    : { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName }
}

/** The case fields of vendor-docs §5.5; `isEscalated` is true while any escalation is active. */
export const caseWire = (store: CareValidateStore, c: Case) => {
  const assignedTo = person(store, c.org, c.assignedToUserId)
  return {
    id: c.id,
    organizationId: store.orgs[c.org]?.organizationId ?? null,
    status: c.status,
    isArchived: c.isArchived,
    closedAt: iso(c.closedAt),
    archiveReason: c.archiveReason,
    archiveNote: null,
    isEscalated: c.escalations.some((e) => !e.isCompleted),
    assignedTo,
    assignees: assignedTo === null ? [] : [assignedTo],
    hrRep: null,
    submitter: { ...c.patient },
    productName: c.productName,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  }
}

export type WireCase = ReturnType<typeof caseWire>

/** [I] Case detail includes every escalation (completed ones too) so a sync can see completion. */
export const caseDetailWire = (store: CareValidateStore, c: Case) => ({
  ...caseWire(store, c),
  escalations: c.escalations.map(escalationWire),
})
