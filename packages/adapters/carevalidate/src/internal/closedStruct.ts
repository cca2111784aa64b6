// A struct that rejects keys outside its fields, as CareValidate's validator does; only this vendor needs it.
import { Schema } from "effect"

/**
 * A struct that rejects keys outside `fields`, as CareValidate's validator does ("Unrecognized key(s) in object").
 * A plain Struct silently drops them, which would hide a mapping bug until the vendor answers 400.
 */
export const closedStruct = <const Fields extends Schema.Struct.Fields>(fields: Fields) => {
  const struct = Schema.Struct(fields)
  return Schema.StructWithRest(struct, [Schema.Record(Schema.String, Schema.Unknown)]).pipe(
    Schema.check(
      Schema.isPropertyNames(Schema.Literals(Object.keys(fields)), {
        message: "unknown key: CareValidate rejects keys outside its schema",
      }),
    ),
    Schema.decodeTo(struct),
  )
}
