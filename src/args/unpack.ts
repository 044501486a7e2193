import type { Shape } from '../model/index.js'
import { shape } from '../model/index.js'
import { CloudmapError, paramError } from '../registry/errors.js'
import { loadParamfile } from './paramfile.js'
import { pyIntOf, pyLstrip, pyStrip, pyStrRepr } from '../python/values.js'
import { parseShorthand, ShorthandParseError } from './shorthand.js'
import { parsePythonJson } from './python-json.js'

/**
 * Turn one command-line value into the parameter value handed to the service, in the AWS CLI's order
 * (awscli/argprocess.py): file:// and fileb:// first (a list only when it has exactly one item), then
 * shorthand for complex shapes unless the value looks like JSON, else JSON or scalar conversion.
 * @param flag the option as written in errors, e.g. '--dns-config'
 */
export function unpackArgument(flag: string, shapeName: string, raw: string | string[]): unknown {
  const s = shape(shapeName)
  let value: string | string[] | Buffer = raw
  const single = Array.isArray(raw) ? (raw.length === 1 ? raw[0] : undefined) : raw
  if (single !== undefined) {
    let loaded: string | Buffer | undefined
    try {
      loaded = loadParamfile(single)
    } catch (error) {
      throw paramError(`Error parsing parameter '${flag}': ${(error as Error).message}`)
    }
    if (loaded !== undefined) value = loaded
  }
  if (Buffer.isBuffer(value)) return value
  if (supportsShorthand(s) && !looksLikeJson(value)) {
    try {
      const parsed = Array.isArray(value) ? value.map((v) => parseShorthand(v)) : parseShorthand(value)
      return coerce(parsed, s)
    } catch (error) {
      // cloudmap speaks the current AWS CLI v2 (see messageFor in shorthand.ts for how it differs).
      if (error instanceof ShorthandParseError) throw paramError(`Error parsing parameter '${flag}': ${error.messageFor('2.36.7')}`)
      throw error
    }
  }
  return unpackPlain(flag, s, value)
}

/**
 * Shorthand applies to structures, maps and lists of non-scalars (argprocess._is_complex_shape); help's
 * parameter syntax (cli/parameter-syntax.ts) shows it for the same ones.
 */
export function supportsShorthand(s: Shape): boolean {
  if (s.type === 'structure' || s.type === 'map') return true
  if (s.type === 'list') return ['structure', 'map', 'list'].includes(shape(s.member).type)
  return false
}

function looksLikeJson(value: string | string[]): boolean {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' && /^[[{]/.test(pyLstrip(first))
}

function unpackPlain(flag: string, s: Shape, value: string | string[]): unknown {
  switch (s.type) {
    case 'structure':
    case 'map': {
      const text = Array.isArray(value) ? value[0] ?? '' : value
      if (pyLstrip(text).startsWith('{')) return parseJson(flag, text)
      throw paramError(`Error parsing parameter '${flag}': Invalid JSON:\n${text}`)
    }
    case 'list': {
      if (typeof value === 'string') {
        if (pyLstrip(value).startsWith('[')) return parseJson(flag, value)
        return [...value].map((c) => unpackPlain(flag, shape(s.member), c))
      }
      if (value.length === 1 && pyStrip(value[0]).startsWith('[')) return parseJson(flag, value[0])
      return value.map((v) => unpackPlain(flag, shape(s.member), v))
    }
    case 'integer':
    case 'long':
      return pythonInt(Array.isArray(value) ? value.join(' ') : value)
    default:
      return value
  }
}

function parseJson(flag: string, text: string): unknown {
  try {
    return parsePythonJson(text)
  } catch (error) {
    throw paramError(`Error parsing parameter '${flag}': Invalid JSON: ${(error as Error).message}\nJSON received: ${text}`)
  }
}

/**
 * Python's int(str): optional surrounding whitespace, a sign, digits (any Unicode decimal digits) with
 * single underscores between them; exact at any size (a bigint beyond 2^53). Anything else fails as the
 * AWS CLI does, with exit 255 (a ValueError, not a usage error).
 */
export function pythonInt(text: string): number | bigint {
  const n = pyIntOf(text)
  if (n === undefined) throw new CloudmapError('other', `invalid literal for int() with base 10: ${pyStrRepr(text)}`)
  return Number.isSafeInteger(Number(n)) ? Number(n) : n
}

/**
 * The AWS CLI's BackCompatVisitor over a shorthand result: integers converted with int(), a scalar or
 * structure given where the model wants a list wrapped as [value] (without converting it).
 */
function coerce(value: unknown, s: Shape): unknown {
  if (value === undefined || value === null) return value
  switch (s.type) {
    case 'structure': {
      if (!isPlainObject(value)) return value
      for (const [member, memberShape] of Object.entries(s.members)) {
        if (member in value) value[member] = coerce(value[member], shape(memberShape))
      }
      return value
    }
    case 'list':
      if (!Array.isArray(value)) return [value]
      return value.map((item) => coerce(item, shape(s.member)))
    case 'map':
      if (!isPlainObject(value)) return value
      for (const key of Object.keys(value)) value[key] = coerce(value[key], shape(s.value))
      return value
    case 'integer':
    case 'long':
      return typeof value === 'string' ? pythonInt(value) : value
    default:
      return value
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
}
