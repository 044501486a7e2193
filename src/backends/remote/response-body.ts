import { parsePythonJson } from '../../args/python-json.js'
import type { Shape } from '../../model/index.js'
import { shape } from '../../model/index.js'
import { PreciseDate } from '../../registry/precise-date.js'

/**
 * A JSON 1.1 response body as data for the output pipeline, read the way botocore reads it: integers
 * beyond 2^53 (InstancesRevision) stay exact as bigint, timestamps arrive as epoch-second doubles, and a
 * map keeps the key order the service sent even for integer-like keys (then it is a Map). With the
 * operation's output shape, values take the port's types: timestamps become Dates that keep their
 * microseconds (PreciseDate), and the 64-bit Revision a bigint.
 */
export function parseResponseBody(body: Uint8Array | undefined, outputShape?: string | null): Record<string, unknown> {
  const text = body === undefined ? '' : Buffer.from(body).toString('utf8')
  if (text.trim() === '') return {}
  const data = parsePythonJson(text, { orderedIntegerKeys: true }) as Record<string, unknown>
  return outputShape ? (revive(data, outputShape) as Record<string, unknown>) : data
}

function revive(value: unknown, shapeName: string): unknown {
  if (value === null || value === undefined) return value
  const s: Shape = shape(shapeName)
  switch (s.type) {
    case 'long':
      // InstancesRevision: the generated api-types make Revision a bigint (AWS's values exceed 2^53).
      return shapeName === 'Revision' && typeof value === 'number' ? BigInt(value) : value
    case 'timestamp':
      return typeof value === 'number' ? new PreciseDate(value) : value
    case 'list':
      return Array.isArray(value) ? value.map((item) => revive(item, s.member)) : value
    case 'structure':
      if (typeof value !== 'object' || value instanceof Map) return value
      for (const [member, memberShape] of Object.entries(s.members)) {
        const record = value as Record<string, unknown>
        if (Object.hasOwn(record, member)) record[member] = revive(record[member], memberShape)
      }
      return value
    default:
      return value
  }
}
