// An escalation on a case (CareValidate's work item) in the canonical model: a work item of kind `escalation` whose
// CareValidate extension names its case and type, and whose lifecycle is the CareValidate status scheme — active →
// completed, one way, set only by CareValidate, after which nothing changes (schemes/CareValidate.ts).
import { Schema } from "effect"

/** CareValidate's escalation types (the update doc's `type` enum). */
export const EscalationType = Schema.Literals(["support", "clinical", "external"])
export type EscalationType = typeof EscalationType.Type

export const escalationTypes: ReadonlyArray<EscalationType> = EscalationType.literals
