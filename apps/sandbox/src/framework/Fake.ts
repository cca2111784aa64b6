// Realistic-looking US healthcare data shared by every emulator: people, payers, provider NPIs and dates.
// Everything is fictional; payer ids follow the common clearinghouse payer-id shapes.
import type { Rng } from "./Prng.ts"

export const FIRST_NAMES: ReadonlyArray<string> = (
  "Aaliyah Aiden Amara Andre Anika Beatriz Benjamin Camila Carlos Chloe Daniel Daria Diego Elena Elijah " +
  "Emily Ethan Fatima Gabriel Grace Hannah Hiroshi Imani Isaac Jamal Jasmine Javier Julia Kai Keisha " +
  "Liam Lucia Malik Maria Mateo Maya Mei Michael Mohammed Naomi Noah Olivia Omar Priya Rafael Rosa " +
  "Samuel Sara Sofia Tariq Thomas Valentina Victor Wei William Xavier Yara Yusuf Zoe Zainab"
).split(" ")

export const LAST_NAMES: ReadonlyArray<string> = (
  "Abbott Adeyemi Alvarez Baker Bennett Brooks Castillo Chen Clark Cohen Diaz Dubois Edwards Fernandez " +
  "Fischer Garcia Gonzalez Gupta Hall Hernandez Hughes Ibrahim Jackson Johnson Kim Kowalski Lee Lopez " +
  "Martin Martinez Mensah Miller Moore Nguyen Novak Okafor Olsen Patel Perez Ramirez Reyes Rivera " +
  "Robinson Rossi Sanchez Schmidt Singh Smith Suzuki Taylor Thompson Torres Tran Walker Washington " +
  "White Williams Wilson Wright Young"
).split(" ")

export interface Payer {
  readonly name: string
  readonly payerId: string
}

export const PAYERS: ReadonlyArray<Payer> = [
  { name: "Aetna", payerId: "60054" },
  { name: "Anthem Blue Cross", payerId: "47198" },
  { name: "Blue Cross Blue Shield of Texas", payerId: "84980" },
  { name: "Blue Shield of California", payerId: "94036" },
  { name: "Cigna", payerId: "62308" },
  { name: "Humana", payerId: "61101" },
  { name: "Kaiser Permanente", payerId: "94134" },
  { name: "Medicare Part B (Noridian JF)", payerId: "01312" },
  { name: "Medicaid of New York", payerId: "MCDNY" },
  { name: "Molina Healthcare", payerId: "38333" },
  { name: "Oscar Health", payerId: "OSCAR" },
  { name: "Oxford Health Plans", payerId: "06111" },
  { name: "TRICARE East", payerId: "TREST" },
  { name: "UnitedHealthcare", payerId: "87726" },
  { name: "UMR", payerId: "39026" },
  { name: "WellCare", payerId: "14163" },
  { name: "Ambetter", payerId: "68069" },
  { name: "Highmark Blue Cross Blue Shield", payerId: "54771" },
  { name: "Florida Blue", payerId: "00590" },
  { name: "Harvard Pilgrim Health Care", payerId: "04271" },
]

export const CLINIC_NAMES: ReadonlyArray<string> = [
  "Lakeside Family Medicine",
  "Northwind Physical Therapy",
  "Harbor Behavioral Health",
  "Summit Orthopedics",
  "Riverbend Pediatrics",
  "Cedar Valley Cardiology",
  "Bayview Telehealth Group",
  "Meadowbrook Dermatology",
]

export const fullName = (rng: Rng): string => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`

/** A 10-digit NPI with a valid Luhn check digit (computed over the "80840" prefix, as CMS specifies). */
export const npi = (rng: Rng): string => {
  const base = `${rng.pick(["1", "2"])}${String(rng.int(100_000_000)).padStart(8, "0")}`
  let sum = 24 // the constant contribution of the 80840 prefix
  for (let i = 0; i < 9; i++) {
    let digit = Number(base[8 - i])
    if (i % 2 === 0) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return `${base}${(10 - (sum % 10)) % 10}`
}

export const DAY_MS = 86_400_000

/** Instant as the vendors' docs print it: ISO 8601, UTC, whole seconds ("2024-01-15T09:30:00Z"). */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

/** A calendar date from days since the Unix epoch ("2023-01-15"). */
export const isoDate = (days: number): string => new Date(days * DAY_MS).toISOString().slice(0, 10)

/** Days since the Unix epoch for a "YYYY-MM-DD" string, or undefined when it is not a real date. */
export const parseIsoDate = (value: string): number | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined
  const ms = Date.parse(`${value}T00:00:00Z`)
  return Number.isNaN(ms) || isoDate(ms / DAY_MS) !== value ? undefined : ms / DAY_MS
}

/** Milliseconds for an ISO 8601 date-time (or a bare date at midnight UTC), or undefined. */
export const parseIsoDateTime = (value: string): number | undefined => {
  const day = parseIsoDate(value)
  if (day !== undefined) return day * DAY_MS
  const match = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value)
  if (match === null) return undefined
  // A zone-less value is read as UTC, as a Python backend parsing a naive datetime would [I].
  const ms = Date.parse(match[3] === undefined ? `${value}Z` : value)
  return Number.isNaN(ms) ? undefined : ms
}
