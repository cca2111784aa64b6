// Test data for engine suites: an organization and a Candid connection pointing at an emulator, stored through the
// real repositories (credentials encrypted like any other connection's).

import { ConnectionRepository } from "@taskbridge/db/ConnectionRepository"
import { OrganizationRepository } from "@taskbridge/db/OrganizationRepository"
import { ConnectionId, OrganizationId } from "@taskbridge/domain/Ids"
import type { startCandid } from "@taskbridge/sandbox/candid/Emulator"
import { Effect, Redacted, type Schema } from "effect"

type Candid = Awaited<ReturnType<typeof startCandid>>

/** Organization `name` with one Candid connection using the emulator's first organization's credentials. */
export const candidConnection = (candid: Candid, name: string, options: Record<string, Schema.Json> = {}) =>
  Effect.gen(function* () {
    const org = candid.state().store.orgs[0]
    if (org === undefined) return yield* Effect.die(new Error("the emulator has no organization"))
    const organization = yield* (yield* OrganizationRepository).create({ id: OrganizationId.make(`org-${name}`), name })
    return yield* (yield* ConnectionRepository).create({
      id: ConnectionId.make(`conn-${name}`),
      organizationId: organization.id,
      vendor: "candid",
      name: "Candid sandbox",
      baseUrl: candid.url,
      credentials: Redacted.make(JSON.stringify({ clientId: org.clientId, clientSecret: org.clientSecret })),
      statusScheme: null,
      identityMap: [],
      options: { workQueueId: org.workQueueIds[0] ?? "queue", ...options },
      enabled: true,
    })
  })
