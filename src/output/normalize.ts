import type { Shape } from '../model/index.js'
import { shape } from '../model/index.js'
import { isoTimestamp } from './timestamps.js'

/**
 * A response as the AWS CLI hands it to its formatters (botocore's JSON parser): structure keys in the
 * model's member order, null and unknown members dropped, timestamps turned into local ISO strings,
 * 64-bit longs kept exact (bigint). Whichever backend answered, output goes through here.
 */
export function normalizeOutput(value: unknown, outputShape: string | null): Record<string, unknown> {
  if (outputShape === null || value === undefined || value === null) return {}
  return normalize(value, shape(outputShape)) as Record<string, unknown>
}

function normalize(value: unknown, s: Shape): unknown {
  switch (s.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null) return value
      const source = value as Record<string, unknown>
      const out: Record<string, unknown> = {}
      for (const [member, memberShape] of Object.entries(s.members)) {
        const v = source[member]
        if (v !== undefined && v !== null) out[member] = normalize(v, shape(memberShape))
      }
      return out
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => normalize(item, shape(s.member))) : value
    case 'map': {
      if (typeof value !== 'object' || value === null) return value
      const valueShape = shape(s.value)
      const entries = (value instanceof Map ? [...value.entries()] : Object.entries(value)).map(([k, v]): [string, unknown] => [k, v === null ? null : normalize(v, valueShape)])
      // A Map (integer-like keys, see parseResponseBody) stays a Map to keep the service's key order.
      return value instanceof Map ? new Map(entries) : Object.fromEntries(entries)
    }
    case 'timestamp':
      return value instanceof Date || typeof value === 'number' || typeof value === 'string' ? isoTimestamp(value) : value
    case 'integer':
    case 'long':
      return toInteger(value)
    default:
      return value
  }
}

/** Integers stay exact: safe ones as numbers, larger ones (InstancesRevision) as bigint. */
function toInteger(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    const n = Number(value)
    return Number.isSafeInteger(n) ? n : BigInt(value)
  }
  if (typeof value === 'object' && value !== null && 'isLosslessNumber' in value) return toInteger(String(value))
  return value
}
