// Helpers the Vambe adapter tests share: the emulator's organizations and tasks read from its state, and calls a
// Vambe user (or admin) makes with the organization's x-api-key or the sandbox control API.
import type { startVambe } from "@taskbridge/sandbox/vambe/Emulator"

export type Vambe = Awaited<ReturnType<typeof startVambe>>

export const org = (vambe: Vambe, index = 0) => {
  const found = vambe.state().store.orgs[index]
  if (found === undefined) throw new Error(`no organization ${index}`)
  return found
}

export const tasksOf = (vambe: Vambe, index = 0) => vambe.state().store.tasksOf(index)

/** A live task of the organization whose status is of `types` and that has a due date and a responsible. */
export const taskIn = (vambe: Vambe, types: ReadonlyArray<string>, index = 0) => {
  const found = tasksOf(vambe, index).find(
    (t) => t.dueAt !== null && t.responsibles.length > 0 && types.includes(vambe.state().store.status(t)?.type ?? ""),
  )
  if (found === undefined) throw new Error(`no task in a ${types.join("/")} status`)
  return found
}

/** A call to Vambe's API as the organization's user. */
export const vendorCall = (vambe: Vambe, method: string, path: string, body?: unknown, index = 0) =>
  fetch(`${vambe.url}${path}`, {
    method,
    headers: {
      "x-api-key": org(vambe, index).apiKey,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

/** A call to the emulator's control API (what an admin does in Vambe's UI). */
export const control = (vambe: Vambe, method: string, path: string, body: unknown) =>
  fetch(`${vambe.url}/_sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })
