// Who a work item is assigned to: a user, a queue or an e-mail identity; how each vendor replaces assignees;
// and the per-connection identity map (CareValidate takes an e-mail on write and answers with a user id).
import { Schema } from "effect"
import { UserId } from "./Ids.ts"
import { limits } from "./Text.ts"
import { EmailAddress } from "./Wire.ts"

export const Assignee = Schema.TaggedUnion({
  User: { id: UserId },
  Queue: {
    id: Schema.NonEmptyString.pipe(Schema.check(Schema.isMaxLength(limits.id))),
    name: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(limits.display)))),
  },
  Email: { email: EmailAddress.pipe(Schema.check(Schema.isMaxLength(limits.email))) },
})
export type Assignee = typeof Assignee.Type
export type AssigneeKind = Assignee["_tag"]

/** Stable identity of an assignee for set operations (merge, diff). */
export const assigneeKey = (a: Assignee): string => {
  switch (a._tag) {
    case "User":
      return `user:${a.id}`
    case "Queue":
      return `queue:${a.id}`
    case "Email":
      return `email:${a.email.toLowerCase()}`
  }
}

/**
 * `replace-all`: the vendor takes the whole set each write (Vambe `responsibleIds`);
 * `single`: one assignee per write (Candid `assignee_user_id`, CareValidate `assignedToEmail`);
 * `none`: the vendor has no assignee (Spry).
 */
export const AssignmentSemantics = Schema.Literals(["replace-all", "single", "none"])
export type AssignmentSemantics = typeof AssignmentSemantics.Type

export const IdentityEntry = Schema.Struct({ email: Schema.NonEmptyString, userId: Schema.NonEmptyString })
export type IdentityEntry = typeof IdentityEntry.Type

/** Per connection: e-mail ⇄ vendor user id pairs learned from the vendor's answers. */
export const IdentityMap = Schema.Array(IdentityEntry)
export type IdentityMap = typeof IdentityMap.Type

const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

export const userIdForEmail = (map: IdentityMap, email: string): string | undefined =>
  map.find((e) => sameEmail(e.email, email))?.userId

export const emailForUserId = (map: IdentityMap, userId: string): string | undefined =>
  map.find((e) => e.userId === userId)?.email

/** Record a pair the vendor confirmed; a newer pairing for the same e-mail or user id replaces the old one. */
export const learnIdentity = (map: IdentityMap, entry: IdentityEntry): IdentityMap => [
  ...map.filter((e) => !sameEmail(e.email, entry.email) && e.userId !== entry.userId),
  entry,
]

/**
 * Read back what a vendor reports (a user id) as the identity the caller wrote (an e-mail) when the map knows
 * the pair, so a round trip through CareValidate does not look like a reassignment.
 */
export const canonicalAssignee = (map: IdentityMap, userId: string): Assignee => {
  const email = emailForUserId(map, userId)
  return email === undefined
    ? Assignee.cases.User.make({ id: UserId.make(userId) })
    : Assignee.cases.Email.make({ email })
}
