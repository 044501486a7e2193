/**
 * JSON as the AWS JSON 1.1 protocol writes it: timestamps as epoch seconds (millisecond precision),
 * 64-bit integers (InstancesRevision) as exact digits, Maps as objects, absent members left out. Every
 * string goes through JSON.stringify, so any text (NUL characters, lone surrogates) stays valid JSON.
 * serve's answers, and `cloudmap watch --output json`'s event lines.
 *
 * A frozen object is written once and its text reused: whoever freezes one freezes its members too
 * (DiscoverInstances' summaries, made once per view of the registry, are written so on every call).
 */
export function encodeJson(value: unknown): string {
  if (value === null) return 'null'
  return write(value) ?? '{}'
}

/**
 * Whether JSON.stringify writes this value exactly as write() would: nothing in it is a bigint, a Date
 * or a Map (the three things the protocol writes its own way). Checked first because JSON.stringify is
 * several times faster than write()'s concatenation, and most members of an answer are plain
 * (DiscoverInstances: everything but InstancesRevision).
 */
function isPlain(value: unknown): boolean {
  switch (typeof value) {
    case 'bigint':
      return false
    case 'object':
      if (value === null) return true
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlain(value[i])) return false
        return true
      }
      // Frozen: write() has its text already, or keeps it.
      if (value instanceof Date || value instanceof Map || Object.isFrozen(value)) return false
      for (const key in value) if (Object.hasOwn(value, key) && !isPlain((value as Record<string, unknown>)[key])) return false
      return true
    default:
      return true
  }
}

/** Characters a JSON string must escape (and lone surrogates, which JSON.stringify writes as \u escapes). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

function string(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`
}

const frozenTexts = new WeakMap<object, string>()

// Written with loops and concatenation: this runs for every answer serve gives.
function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return string(value)
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'
    case 'bigint':
      return value.toString()
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      break
    default:
      return undefined
  }
  if (value === null) return 'null'
  if (Object.isFrozen(value)) {
    let text = frozenTexts.get(value)
    if (text === undefined) frozenTexts.set(value, (text = writeObject(value)))
    return text
  }
  return writeObject(value)
}

function writeObject(value: object): string {
  if (isPlain(value)) return JSON.stringify(value)
  if (value instanceof Date) return String(value.getTime() / 1000)
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (write(value[i]) ?? 'null')
    return `${out}]`
  }
  let out = '{'
  let first = true
  if (value instanceof Map) {
    for (const [key, item] of value) {
      const text = write(item)
      if (text === undefined) continue
      out += (first ? '' : ',') + string(String(key)) + ':' + text
      first = false
    }
  } else {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue
      const text = write((value as Record<string, unknown>)[key])
      if (text === undefined) continue
      out += (first ? '' : ',') + string(key) + ':' + text
      first = false
    }
  }
  return `${out}}`
}
