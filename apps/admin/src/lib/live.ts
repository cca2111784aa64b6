// What the `events` subscription changed lately, for row highlights: a tiny external store (task id → when and from
// which side) that components read with useSyncExternalStore, so a live change re-renders only what shows it.
import { useSyncExternalStore } from "react"

export interface LiveChange {
  readonly at: number
  readonly origin: string
  readonly fields: ReadonlyArray<string>
}

const changes = new Map<string, LiveChange>()
const listeners = new Set<() => void>()
let version = 0

export const recordChange = (taskId: string, change: LiveChange) => {
  changes.set(taskId, change)
  if (changes.size > 5_000) changes.delete(changes.keys().next().value as string)
  version += 1
  for (const listener of listeners) listener()
}

const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Re-renders when any live change arrives; `changeOf` then reads one task's. */
export const useLiveVersion = () => useSyncExternalStore(subscribe, () => version)
export const changeOf = (taskId: string): LiveChange | undefined => changes.get(taskId)

/** "vendor" for pulls and webhooks, "taskbridge" for edits made here and resolutions. */
export const sideOf = (origin: string) =>
  origin === "pull" || origin === "webhook" ? "vendor" : origin === "push" ? "pushed" : "taskbridge"
