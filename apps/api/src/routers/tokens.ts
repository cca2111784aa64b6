// `tokens.*` (admins only): an organization's API tokens — list (never the tokens themselves), issue (the token is
// returned once, here, and only its hash is kept), revoke.
import { ApiRole, OrganizationRepository, TokenInfo } from "@taskbridge/db/OrganizationRepository"
import { limits, NonEmptyText, Text } from "@taskbridge/domain/Text"
import { Effect, Redacted, Schema } from "effect"
import { TokenNotFound } from "../Errors.ts"
import { forgetVerified, input, output, procedure, router, run } from "../Trpc.ts"

export const TokenIssueInput = Schema.Struct({
  name: NonEmptyText(limits.name),
  role: ApiRole,
})

const encodeTokens = output(Schema.Array(TokenInfo))

export const tokensRouter = router({
  list: procedure("admin").query(({ ctx }) =>
    run(
      ctx,
      Effect.map(
        OrganizationRepository.use((orgs) => orgs.listTokens(ctx.identity.organizationId)),
        encodeTokens,
      ),
    ),
  ),

  issue: procedure("admin")
    .input(input(TokenIssueInput))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const issued = yield* (yield* OrganizationRepository).issueToken(
            ctx.identity.organizationId,
            input.name,
            input.role,
          )
          return { id: issued.id, name: input.name, role: input.role, token: Redacted.value(issued.token) }
        }),
      ),
    ),

  revoke: procedure("admin")
    .input(input(Schema.Struct({ id: Text(limits.id) })))
    .mutation(({ ctx, input }) =>
      run(
        ctx,
        Effect.gen(function* () {
          const revoked = yield* (yield* OrganizationRepository).revokeToken(ctx.identity.organizationId, input.id)
          if (!revoked) return yield* new TokenNotFound({ id: input.id })
          forgetVerified()
          return { id: input.id, revoked: true as const }
        }),
      ),
    ),
})
