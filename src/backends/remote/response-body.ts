import { parsePythonJson } from '../../args/python-json.js'

/**
 * A JSON 1.1 response body as data for the output pipeline, read the way botocore reads it: integers
 * beyond 2^53 (InstancesRevision) stay exact as bigint, timestamps arrive as epoch-second doubles, and a
 * map keeps the key order the service sent even for integer-like keys (then it is a Map).
 */
export function parseResponseBody(body: Uint8Array | undefined): Record<string, unknown> {
  const text = body === undefined ? '' : Buffer.from(body).toString('utf8')
  if (text.trim() === '') return {}
  return parsePythonJson(text, { orderedIntegerKeys: true }) as Record<string, unknown>
}
