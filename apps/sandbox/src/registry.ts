// Every emulator the standalone sandbox starts. A new vendor adds one entry here (its folder provides a
// `start<Vendor>` built on framework/Server.ts); main.ts and the README pick it up from this list.
import { startCandid } from "./candid/Emulator.ts"
import { startCareValidate } from "./carevalidate/Emulator.ts"
import type { BaseOptions } from "./framework/Emulator.ts"
import type { EmulatorHandle } from "./framework/Server.ts"
import { startKoreai } from "./koreai/Emulator.ts"
import { startSpry } from "./spry/Emulator.ts"
import { startVambe } from "./vambe/Emulator.ts"

export interface RegisteredEmulator {
  readonly vendor: string
  readonly defaultPort: number
  readonly start: (options: BaseOptions) => Promise<EmulatorHandle<unknown>>
}

export const emulators: ReadonlyArray<RegisteredEmulator> = [
  { vendor: "candid", defaultPort: 4101, start: (options) => startCandid(options) },
  { vendor: "vambe", defaultPort: 4102, start: (options) => startVambe(options) },
  { vendor: "koreai", defaultPort: 4103, start: (options) => startKoreai(options) },
  { vendor: "spry", defaultPort: 4104, start: (options) => startSpry(options) },
  { vendor: "carevalidate", defaultPort: 4105, start: (options) => startCareValidate(options) },
]
