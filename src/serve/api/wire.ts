/**
 * JSON as the AWS JSON 1.1 protocol writes it: timestamps as epoch seconds (millisecond precision),
 * 64-bit integers (InstancesRevision) as exact digits, Maps as objects, absent members left out. Every
 * string goes through JSON.stringify, so any text (NUL characters, lone surrogates) stays valid JSON.
 */
export function encodeJson(value: unknown): string {
  if (value === undefined || value === null) return value === null ? 'null' : '{}'
  return write(value) ?? '{}'
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'
    case 'bigint':
      return value.toString()
    case 'boolean':
      return value ? 'true' : 'false'
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined
  }
  if (value === null) return 'null'
  if (value instanceof Date) return String(value.getTime() / 1000)
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object)
  const members: string[] = []
  for (const [key, item] of entries) {
    const text = write(item)
    if (text !== undefined) members.push(`${JSON.stringify(String(key))}:${text}`)
  }
  return `{${members.join(',')}}`
}

/** An error answered on the wire: `{"__type": type, "message": message}` with an HTTP status. */
export interface WireError {
  status: number
  type: string
  message: string
}
