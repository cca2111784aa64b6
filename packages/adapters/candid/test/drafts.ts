// A Candid create draft for tests: a task of `taskType` on `encounter` with `description` (Candid creates take the
// encounter, type and description; the title is derived from the type).

import { draftOf } from "@taskbridge/adapter-testkit/Support"
import { PlainDate } from "@taskbridge/domain/Due"
import type { RecordDraft } from "@taskbridge/domain/VendorRecord"

export const candidDraft = (options: {
  readonly key: string
  readonly encounter: string
  readonly description: string
  readonly taskType: string
  readonly category: string | null
}): RecordDraft =>
  draftOf(options.key, {
    title: "Follow up on claim",
    description: options.description,
    vendorStatus: "open",
    subjects: { encounter: { id: options.encounter } },
    extension: {
      _tag: "candid",
      taskType: options.taskType,
      category: options.category,
      blocksClaimSubmission: false,
      dateOfService: PlainDate.make("2026-11-01"),
      encounterId: options.encounter,
      externalId: "",
      patientExternalId: "",
      payerName: null,
      payerId: null,
    },
  })
