// Vambe's `/_sandbox/` routes: the framework's organization routes (each x-api-key, its status configuration and
// team, which only the UI shows; `PATCH` replaces the status list, e.g. with a type newer than the documented four;
// key revocation), its webhook routes with registration (the demo setup registers through them: its control client
// carries no API key), and a listing outage that makes listings answer (almost) nothing.
import { ControlInputError, controlBody } from "../framework/Control.ts"
import { json, type Route } from "../framework/Http.ts"
import { organizationControlRoutes } from "../framework/OrganizationControl.ts"
import { webhookControlRoutes } from "../framework/WebhookControl.ts"
import type { Organization, StatusConfig } from "./Model.ts"
import type { VambeState } from "./State.ts"
import type { VambeStore } from "./Store.ts"
import type { TaskSubject } from "./WebhookEvents.ts"

export const organizationView = (store: VambeStore, org: Organization) => {
  const tasks = store.tasksOf(org.index)
  return {
    organizationId: org.organizationId,
    name: org.name,
    apiKey: org.apiKey,
    timezone: org.timezone,
    statuses: org.statuses,
    members: org.members,
    tasks: tasks.length,
    sampleTaskIds: tasks.slice(0, 5).map((t) => t.id),
  }
}

/** `{statuses: [{name, type, color?}, …]}` in their new order; names must be unique and non-empty. */
const configure = (state: VambeState, org: Organization, body: Record<string, unknown>) => {
  const list = body.statuses
  if (!Array.isArray(list) || list.length === 0) throw new ControlInputError("statuses must be a non-empty list")
  const statuses: Array<Omit<StatusConfig, "id" | "order">> = list.map((s: unknown) => {
    const item = typeof s === "object" && s !== null ? (s as Record<string, unknown>) : {}
    const { name, type, color } = item
    if (typeof name !== "string" || name === "" || typeof type !== "string" || type === "") {
      throw new ControlInputError("each status needs a non-empty name and type")
    }
    return { name, type, color: typeof color === "string" ? color : "#94a3b8" }
  })
  if (new Set(statuses.map((s) => s.name)).size !== statuses.length) {
    throw new ControlInputError("status names must be unique")
  }
  try {
    state.store.configureStatuses(org, statuses)
  } catch (error) {
    throw new ControlInputError(error instanceof Error ? error.message : String(error))
  }
}

/** `POST /_sandbox/listing-outage {limit: n | null}`: listings answer at most n tasks until cleared or reset. */
const outage: Route<VambeState> = {
  method: "POST",
  pattern: "/_sandbox/listing-outage",
  handler: (request, state) => {
    const { limit } = controlBody(request)
    if (limit !== null && (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0)) {
      throw new ControlInputError("limit must be a non-negative integer or null")
    }
    state.listingLimit = limit
    return json(200, { limit })
  },
}

export const vambeControlRoutes: ReadonlyArray<Route<VambeState>> = [
  ...organizationControlRoutes<VambeState, Organization>({
    organizations: (state) => state.store.organizations,
    view: (state, org) => organizationView(state.store, org),
    configure,
  }),
  ...webhookControlRoutes<VambeState, TaskSubject>({
    hub: (state) => state.webhooks,
    organizations: (state) => state.store.organizations,
    registration: true,
  }),
  outage,
]
