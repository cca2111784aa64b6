// The vendors taskbridge runs with, as one list of definitions: the engine's adapter registry, the webhook receiver,
// `connections.create` validation, the console's connection forms and `pnpm start`'s demo setup all read it. Adding a
// vendor is its adapter package, its emulator folder, and one line here (plus the sandbox's own list).

import { definition as candid } from "@taskbridge/adapter-candid/Definition"
import { definition as carevalidate } from "@taskbridge/adapter-carevalidate/Definition"
import type { VendorDefinition } from "@taskbridge/adapter-kit/Definition"
import { definition as koreai } from "@taskbridge/adapter-koreai/Definition"
import { definition as spry } from "@taskbridge/adapter-spry/Definition"
import { definition as vambe } from "@taskbridge/adapter-vambe/Definition"

export const definitions: ReadonlyArray<VendorDefinition> = [candid, vambe, koreai, spry, carevalidate]
