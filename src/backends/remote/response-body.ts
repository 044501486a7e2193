import { parse } from 'lossless-json'

/**
 * A JSON 1.1 response body as data for the output pipeline: integers beyond 2^53 (InstancesRevision)
 * stay exact as bigint, other numbers are doubles (timestamps arrive as epoch seconds).
 */
export function parseResponseBody(body: Uint8Array | undefined): Record<string, unknown> {
  const text = body === undefined ? '' : Buffer.from(body).toString('utf8')
  if (text.trim() === '') return {}
  return parse(text, null, (value) => {
    if (/^-?\d+$/.test(value)) {
      const n = Number(value)
      return Number.isSafeInteger(n) ? n : BigInt(value)
    }
    return Number(value)
  }) as Record<string, unknown>
}
