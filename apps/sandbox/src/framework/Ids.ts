// Deterministic UUIDs. Record ids are derived from a row index through an invertible 32-bit permutation, so
// a million seeded rows need no id strings in memory and an incoming id decodes back to its row in O(1).
import { hash32 } from "./Prng.ts"

const MUL_A = 0x2c1b3c6d
const MUL_B = 0x297a2d39

/** Multiplicative inverse of an odd number modulo 2^32 (Newton's iteration doubles the correct bits each step). */
const inverse = (a: number): number => {
  let x = a
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x))
  return x >>> 0
}
const INV_A = inverse(MUL_A)
const INV_B = inverse(MUL_B)

const permute = (x: number, key: number): number => {
  let y = Math.imul((x ^ key) >>> 0, MUL_A) >>> 0
  y = (y ^ (y >>> 16)) >>> 0
  y = Math.imul(y, MUL_B) >>> 0
  return (y ^ (y >>> 16)) >>> 0
}

const unpermute = (y: number, key: number): number => {
  let x = (y ^ (y >>> 16)) >>> 0
  x = Math.imul(x, INV_B) >>> 0
  x = (x ^ (x >>> 16)) >>> 0
  x = Math.imul(x, INV_A) >>> 0
  return (x ^ key) >>> 0
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, "0")

/** Formats four 32-bit words as an RFC 4122 version-4 UUID string. */
export const uuidFromWords = (w0: number, w1: number, w2: number, w3: number): string => {
  const b = hex8(((w1 & 0xffff0fff) | 0x00004000) >>> 0)
  const c = hex8(((w2 & 0x3fffffff) | 0x80000000) >>> 0)
  const d = hex8(w3)
  return `${hex8(w0)}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`
}

/** A random-looking but reproducible UUID for any tuple of integers (users, notes, assignments, orgs). */
export const uuidOf = (...parts: ReadonlyArray<number>): string =>
  uuidFromWords(hash32(...parts, 0), hash32(...parts, 1), hash32(...parts, 2), hash32(...parts, 3))

export interface IdCodec {
  readonly encode: (index: number) => string
  /** The row index an id was made from, or undefined when the string is not one of this codec's ids. */
  readonly decode: (id: string) => number | undefined
}

/** An id space (tasks, encounters, ...) whose UUIDs map to and from row indexes. */
export const idCodec = (namespace: number, seed: number): IdCodec => {
  const key = hash32(namespace, seed, 0x1d)
  const encode = (index: number): string => {
    const w = (k: number) => hash32(namespace, seed, index, k)
    return uuidFromWords(permute(index, key), w(1), w(2), w(3))
  }
  const decode = (id: string): number | undefined => {
    if (id.length !== 36) return undefined
    const head = Number.parseInt(id.slice(0, 8), 16)
    if (!Number.isFinite(head)) return undefined
    const index = unpermute(head, key)
    return encode(index) === id.toLowerCase() ? index : undefined
  }
  return { encode, decode }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value)
