// An operator's decision on a held mass deletion: confirming tombstones the records the listing no longer held (those
// still live), rejecting keeps everything; either way the decision is recorded with who took it. Scoped by
// organization, so another organization's held deletion behaves as not found.
import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import type { OrganizationId } from "@taskbridge/domain/Ids"
import { HeldDeletionRepository, Transactor } from "@taskbridge/domain/ports/Repositories"
import { DateTime, Effect } from "effect"
import { tombstone } from "./Deletions.ts"

export interface Decision {
  readonly organizationId: OrganizationId
  readonly id: string
  readonly confirm: boolean
  readonly actor: string
}

export const decideHeld = Effect.fn("HeldDeletions.decide")(function* (input: Decision) {
  return yield* (yield* Transactor).atomically(
    Effect.gen(function* () {
      const decided = yield* (yield* HeldDeletionRepository).decide(
        input.organizationId,
        input.id,
        input.confirm ? "confirmed" : "rejected",
        input.actor,
      )
      if (input.confirm) {
        const connection = yield* (yield* ConnectionRepository).get(input.organizationId, decided.connectionId)
        yield* tombstone(connection, "pull", decided.records, yield* DateTime.now)
      }
      return decided
    }),
  )
})
