// Create drafts and date windows for the Spry adapter's tests: a draft for an emulator patient at its first clinic,
// with a window from today in that clinic's zone; and the window of a record, moved at its end.
import { IanaZone, PlainDate } from "@taskbridge/domain/Due"
import { Title } from "@taskbridge/domain/Task"
import type { RecordDraft, VendorRecord } from "@taskbridge/domain/VendorRecord"
import { addDays, dateIn } from "@taskbridge/sandbox/spry/Dates"
import { org, type Spry } from "./support.ts"

export const windowOf = (record: VendorRecord) => {
  const due = record.snapshot.fields.due
  if (due._tag !== "Window") throw new Error(`expected a window, got ${due._tag}`)
  return due
}

export const withEnd = (window: ReturnType<typeof windowOf>, days: number) => ({
  ...window,
  end: PlainDate.make(addDays(window.end, days)),
})

export const draftFor = (spry: Spry, key: string, notes: string, patientIndex = 7): RecordDraft => {
  const clinic = org(spry).clinics[0]
  const category = clinic?.categories[0]
  const patient = org(spry).patients[patientIndex]
  if (clinic === undefined || category === undefined || patient === undefined) throw new Error("no clinic or patient")
  const today = dateIn(spry.control.clock.now(), clinic.timeZone)
  return {
    key,
    snapshot: {
      fields: {
        title: Title.make("Waitlist"),
        description: notes,
        status: "open",
        priority: "high",
        due: {
          _tag: "Window",
          start: PlainDate.make(today),
          end: PlainDate.make(addDays(today, 21)),
          zone: IanaZone.make(clinic.timeZone),
        },
        assignees: [],
        tags: [],
      },
      vendorStatus: "ACTIVE",
      subjects: { patient: { id: patient.id } },
      notes: [],
      extension: {
        _tag: "spry",
        clinicId: clinic.id,
        preferredProviders: [],
        preferredDays: ["TUESDAY"],
        preferredTimeSlots: ["MORNING"],
        appointmentCategoryId: category.id,
        appointmentCategory: null,
        appointmentType: category.type,
        paymentType: "SELF_PAY",
        appointmentDuration: null,
      },
    },
  }
}
