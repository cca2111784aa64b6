// What procedures run on: the engine, its durable runtime (or a client of the workers), every repository and the
// webhook gate, as one layer behind the process's ManagedRuntime. `ApiServices` is what a procedure's Effect may need.
import * as Persistence from "@taskbridge/db/Persistence"
import * as App from "@taskbridge/sync/App"
import { Layer } from "effect"
import { WebhookGate } from "./Webhooks.ts"

/** The API process's layer on `persistence`: the app (engine, runtime, repositories) plus what only the API holds. */
export const apiLayer = <E, R>(options: App.AppOptions, persistence: Parameters<typeof App.make<E, R>>[1]) =>
  Layer.merge(App.make(options, persistence), WebhookGate.layer)

/** `apiLayer` on the database the environment names (DATABASE_URL, else embedded PGlite), migrated. */
export const apiLayerConfig = (options: App.AppOptions) => apiLayer(options, Persistence.layer)

export type ApiServices = Layer.Success<ReturnType<typeof apiLayer<never, never>>>
