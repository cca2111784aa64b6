// Dead letters are never dropped silently: an operator retries one (back to pending, then pushed) or discards it.
// Both are scoped by organization, so another organization's entry behaves as not found.

import type { OrganizationId } from "@taskbridge/domain/Ids"
import { OutboxRepository } from "@taskbridge/domain/ports/Repositories"
import { Effect, Schema } from "effect"

export class DeadLetterNotFound extends Schema.TaggedError<DeadLetterNotFound>()("DeadLetterNotFound", {
  id: Schema.String,
}) {
  override get message() {
    return `outbox entry ${this.id} is not a dead letter of this organization`
  }
}

export const findDeadLetter = Effect.fn("DeadLetters.find")(function* (organization: OrganizationId, id: string) {
  const dead = yield* (yield* OutboxRepository).list(organization, { state: "dead", limit: 10_000 })
  const entry = dead.find((e) => e.id === id)
  if (entry === undefined) return yield* new DeadLetterNotFound({ id })
  return entry
})

/** Back to pending, keeping the vendor's last error for the record; the caller pushes it again. */
export const requeue = Effect.fn("DeadLetters.requeue")(function* (organization: OrganizationId, id: string) {
  const entry = yield* findDeadLetter(organization, id)
  yield* (yield* OutboxRepository).mark(id, "pending", entry.lastError)
  return entry
})

export const discard = Effect.fn("DeadLetters.discard")(function* (organization: OrganizationId, id: string) {
  const entry = yield* findDeadLetter(organization, id)
  yield* (yield* OutboxRepository).mark(id, "discarded", entry.lastError)
  return entry
})
