// Spry waitlist enums: closed schemas for what we send, open ones ("known literal or any other string") for what
// we read, so a value Spry adds later reaches Mapping's fallback instead of failing a whole page.
// https://api-docs.spryhealth.care/api/waitlist/update/
import type { UnknownValue } from "@taskbridge/domain/VendorRecord"
import { Schema } from "effect"

/** A closed literal schema, its open read-side twin and a guard telling known values from unknown ones. */
const literalEnum = <const L extends ReadonlyArray<string>>(values: L) => {
  const closed = Schema.Literals(values)
  return {
    values,
    closed,
    open: Schema.Union([closed, Schema.StringForLiteralAutocomplete]),
    isKnown: Schema.is(closed),
  }
}

// FULFILLED, CANCELLED and EXPIRED are terminal: any later PATCH answers 409 / code 4090.
const waitlistStatus = literalEnum(["ACTIVE", "FULFILLED", "CANCELLED", "EXPIRED"])
export const WaitlistStatusValues = waitlistStatus.values
export const WaitlistStatus = waitlistStatus.closed
export type WaitlistStatus = typeof WaitlistStatus.Type
export const OpenWaitlistStatus = waitlistStatus.open
export const isKnownWaitlistStatus = waitlistStatus.isKnown

const timeSlot = literalEnum(["MORNING", "AFTERNOON", "EVENING", "ANYTIME"])
export const TimeSlotValues = timeSlot.values
export const TimeSlot = timeSlot.closed
export type TimeSlot = typeof TimeSlot.Type
export const OpenTimeSlot = timeSlot.open
export const isKnownTimeSlot = timeSlot.isKnown

const weekday = literalEnum(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"])
export const WeekdayValues = weekday.values
export const Weekday = weekday.closed
export type Weekday = typeof Weekday.Type
export const OpenWeekday = weekday.open
export const isKnownWeekday = weekday.isKnown

// Responses carry the codes; requests also accept the labels "Initial Evaluation" and "Follow Up".
const appointmentType = literalEnum(["INITIAL_EVAL", "FOLLOW_UP"])
export const AppointmentTypeValues = appointmentType.values
export const AppointmentType = appointmentType.closed
export type AppointmentType = typeof AppointmentType.Type
export const OpenAppointmentType = appointmentType.open
export const isKnownAppointmentType = appointmentType.isKnown
export const WriteAppointmentType = Schema.Literals([...AppointmentTypeValues, "Initial Evaluation", "Follow Up"])
export type WriteAppointmentType = typeof WriteAppointmentType.Type

const paymentType = literalEnum(["SELF_PAY", "INSURANCE_PAY"])
export const PaymentTypeValues = paymentType.values
export const PaymentType = paymentType.closed
export type PaymentType = typeof PaymentType.Type
export const OpenPaymentType = paymentType.open
export const isKnownPaymentType = paymentType.isKnown

// https://api-docs.spryhealth.care/api/waitlist/get/ (only PENDING, SENT and READ are documented; read-only)
const inviteStatus = literalEnum(["PENDING", "SENT", "READ"])
export const InviteStatusValues = inviteStatus.values
export const OpenInviteStatus = inviteStatus.open
export const isKnownInviteStatus = inviteStatus.isKnown

// ---------------------------------------------------------------------------------------------------------------
// Reading: each known value as itself, so the kit's `known` can tell a new one from a known one.

const lookup = <T extends string>(values: ReadonlyArray<T>): Readonly<Record<string, T>> =>
  Object.fromEntries(values.map((v) => [v, v]))
export const appointmentTypes = lookup(AppointmentTypeValues)
export const paymentTypes = lookup(PaymentTypeValues)
export const weekdays = lookup(WeekdayValues)
export const timeSlots = lookup(TimeSlotValues)

/** The known members of an open enum array; each unknown one is flagged and left out of the typed list. */
export const knownMembers = <T>(field: string, values: ReadonlyArray<string>, known: Readonly<Record<string, T>>) => {
  const kept: Array<T> = []
  const unknown: Array<UnknownValue> = []
  for (const value of values) {
    const found = Object.hasOwn(known, value) ? known[value] : undefined
    if (found === undefined) unknown.push({ field, value, fallback: "left out of the list" })
    else kept.push(found)
  }
  return { value: kept, unknown }
}
