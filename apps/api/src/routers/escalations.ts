// `escalations.*`: CareValidate's escalations as the canonical model holds them — list (state, connection, keyset
// cursor), get, and update of the writable fields (note, follow-up due, assignee) with optimistic concurrency.
import { EscalationListQuery, Views } from "@taskbridge/db/Views"
import { Assignee } from "@taskbridge/domain/Assignment"
import { Due } from "@taskbridge/domain/Due"
import { Escalation } from "@taskbridge/domain/Escalation"
import { EscalationId } from "@taskbridge/domain/Ids"
import { EscalationRepository } from "@taskbridge/domain/ports/Repositories"
import { Dispatcher } from "@taskbridge/sync/Dispatch"
import { SyncEngine } from "@taskbridge/sync/Engine"
import { Effect, Schema } from "effect"
import { input, output, procedure, router, run } from "../Trpc.ts"

/** The fields CareValidate lets us write; absent leaves a field alone, null clears it. */
export const EscalationPatch = Schema.Struct({
  note: Schema.optionalKey(Schema.NullOr(Schema.String)),
  followUpDue: Schema.optionalKey(Due),
  assignee: Schema.optionalKey(Schema.NullOr(Assignee)),
})

export const EscalationUpdateInput = Schema.Struct({
  id: EscalationId,
  expectedVersion: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  patch: EscalationPatch,
})

const ById = Schema.Struct({ id: EscalationId })
const encodeEscalation = output(Escalation)
const encodePage = output(Schema.Struct({ items: Schema.Array(Escalation), nextCursor: Schema.NullOr(Schema.String) }))

export const escalationsRouter = router({
  list: procedure("viewer")
    .input(input(EscalationListQuery))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(
          Views.use((views) => views.escalations({ ...input, organizationId: ctx.identity.organizationId })),
          encodePage,
        ),
      ),
    ),

  get: procedure("viewer")
    .input(input(ById))
    .query(({ ctx, input }) =>
      run(
        ctx,
        Effect.map(
          EscalationRepository.use((escalations) => escalations.get(ctx.identity.organizationId, input.id)),
          encodeEscalation,
        ),
      ),
    ),

  update: procedure("operator")
    .input(input(EscalationUpdateInput))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const { escalation, queued } = yield* (yield* SyncEngine).updateEscalation({
            organizationId: ctx.identity.organizationId,
            id: input.id,
            expectedVersion: input.expectedVersion,
            patch: input.patch,
            actor: ctx.identity.name,
          })
          yield* (yield* Dispatcher).push(queued)
          return encodeEscalation(escalation)
        }),
      ),
    ),
})
