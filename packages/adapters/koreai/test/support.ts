// What the Kore.ai adapter's tests share: the emulator's accounts and tasks read from its state, the settings of a
// connection to its first account (its scoped JWT app, stream, configuration and an agent to request creates as),
// the emulator's control routes, and two workarounds where its control API has no route: a deletion and a status
// category Kore.ai has never shown. Both change the in-process emulator's state directly.
import type { startKoreai } from "@taskbridge/sandbox/koreai/Emulator"

export type Koreai = Awaited<ReturnType<typeof startKoreai>>
type Account = Koreai extends { state: () => { store: { orgs: ReadonlyArray<infer A> } } } ? A : never

export const account = (koreai: Koreai, index = 0): Account => {
  const found = koreai.state().store.orgs[index]
  if (found === undefined) throw new Error(`no account ${index}`)
  return found
}

export const tasksOf = (koreai: Koreai, index = 0) => koreai.state().store.tasksOf(index)

/** A task of the account in an open-category status (the writable cases move it). */
export const openTaskId = (koreai: Koreai, index = 0, nth = 0): string => {
  const store = koreai.state().store
  const found = tasksOf(koreai, index).filter((t) => store.status(t)?.statusCategory === "open")[nth]
  if (found === undefined) throw new Error("no open task")
  return found._id
}

/** The account's configuration as its admin console shows it: what a connection's options may declare. */
export const configurationOf = (koreai: Koreai, index = 0) => {
  const org = account(koreai, index)
  return {
    statuses: org.statuses.map((s) => ({
      _id: s._id,
      name: s.name,
      statusCategory: s.statusCategory,
      isActive: s.isActive,
      isEnabled: s.isEnabled,
    })),
    priorities: org.priorities.map((p) => ({ ...p })),
  }
}

/** A stored connection to the account, as `connections.create` would take it. */
export const settingsFor = (koreai: Koreai, options: Record<string, unknown> = {}, index = 0) => {
  const org = account(koreai, index)
  const app = org.apps[0]
  if (app === undefined) throw new Error("no JWT app")
  return {
    baseUrl: koreai.url,
    credentials: { clientId: app.appId, clientSecret: app.secret, accountId: org.accountId },
    options: {
      streamId: org.streamId,
      pageSize: 25,
      creatorUserId: org.agents[0]?._id ?? "u-none",
      ...options,
    },
  }
}

export const control = (koreai: Koreai, method: string, path: string, body: unknown = {}) =>
  fetch(`${koreai.url}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })

/**
 * [Workaround] Kore.ai documents no delete and the emulator has no control route for one: the task is taken out of
 * its account's listing in the in-process store, which is what a deletion in Kore.ai's console would look like.
 */
export const deleteTask = (koreai: Koreai, id: string, index = 0) => {
  const listed = tasksOf(koreai, index)
  const at = listed.findIndex((t) => t._id === id)
  // The store hands out its own array (read-only by type): splicing it is the deletion.
  if (at < 0 || !Array.isArray(listed)) throw new Error(`no task ${id}`)
  Reflect.apply(Array.prototype.splice, listed, [at, 1])
}

/**
 * [Workaround] The control API refuses a status category outside the five documented ones; a category Kore.ai may
 * add is given to the task's status object in the in-process store.
 */
export const giveStatusCategory = (koreai: Koreai, taskId: string, category: string) => {
  const store = koreai.state().store
  const task = store.task(taskId)
  const status = task === undefined ? undefined : store.status(task)
  if (status === undefined) throw new Error(`task ${taskId} has no status`)
  Object.assign(status, { statusCategory: category })
}
