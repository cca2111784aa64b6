// What procedures run on: the engine, its durable runtime (or a client of the workers) and every repository, as
// one layer behind the process's ManagedRuntime. `ApiServices` is what a procedure's Effect may require.

import type * as App from "@taskbridge/sync/App"
import type { Layer } from "effect"

export type ApiServices = Layer.Success<ReturnType<typeof App.make<never, never>>>
