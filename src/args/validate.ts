import type { Shape } from '../model/index.js'
import { shape } from '../model/index.js'
import { paramError } from '../registry/errors.js'
import { isPyDict, pyClass, pyNumber, pyStr } from '../python/values.js'

/**
 * The AWS CLI's client-side parameter validation (botocore/validate.py ParamValidator): required and
 * unknown members, types, and `min` constraints only (max, pattern and enum are left to the service).
 * All problems are reported together, in traversal order.
 */
export function validateParameters(params: Record<string, unknown>, inputShape: string): void {
  const errors: string[] = []
  validate(params, shape(inputShape), '', errors)
  if (errors.length > 0) throw paramError(`Parameter validation failed:\n${errors.join('\n')}`)
}

/** botocore names the top level 'input' and drops the leading dot of nested paths. */
function label(path: string): string {
  return path === '' ? 'input' : path.replace(/^\./, '')
}

function typeError(value: unknown, path: string, valid: string, errors: string[]): void {
  errors.push(`Invalid type for parameter ${label(path)}, value: ${pyStr(value)}, type: ${pyClass(value)}, valid types: ${valid}`)
}

function validate(value: unknown, s: Shape, path: string, errors: string[]): void {
  switch (s.type) {
    case 'structure': {
      if (!isObject(value)) return typeError(value, path, "<class 'dict'>", errors)
      for (const member of s.required ?? []) {
        if (!Object.hasOwn(value, member)) errors.push(`Missing required parameter in ${label(path)}: "${member}"`)
      }
      const known: string[] = []
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(s.members, key)) known.push(key)
        else errors.push(`Unknown parameter in ${label(path)}: "${key}", must be one of: ${Object.keys(s.members).join(', ')}`)
      }
      for (const key of known) validate(value[key], shape(s.members[key]), `${path}.${key}`, errors)
      return
    }
    case 'list': {
      if (!Array.isArray(value)) return typeError(value, path, "<class 'list'>, <class 'tuple'>", errors)
      if (s.min !== undefined && value.length < s.min) {
        errors.push(`Invalid length for parameter ${label(path)}, value: ${value.length}, valid min length: ${s.min}`)
      }
      value.forEach((item, i) => validate(item, shape(s.member), `${path}[${i}]`, errors))
      return
    }
    case 'map': {
      if (!isObject(value)) return typeError(value, path, "<class 'dict'>", errors)
      for (const [k, v] of Object.entries(value)) {
        validate(k, shape(s.key), `${path} (key: ${k})`, errors)
        validate(v, shape(s.value), `${path}.${k}`, errors)
      }
      return
    }
    case 'string': {
      if (typeof value !== 'string') return typeError(value, path, "<class 'str'>", errors)
      const length = [...value].length
      if (s.min !== undefined && length < s.min) {
        errors.push(`Invalid length for parameter ${label(path)}, value: ${length}, valid min length: ${s.min}`)
      }
      return
    }
    case 'integer':
    case 'long': {
      // A bool is an int to Python (botocore's isinstance check passes True through); a float never is.
      const isInt = pyNumber(value)?.kind === 'int' || typeof value === 'boolean'
      if (!isInt) return typeError(value, path, "<class 'int'>", errors)
      if (s.min !== undefined && Number(value) < s.min) {
        errors.push(`Invalid value for parameter ${label(path)}, value: ${value}, valid min value: ${s.min}`)
      }
      return
    }
    case 'timestamp':
      if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') {
        typeError(value, path, "<class 'datetime.datetime'>, <class 'str'>", errors)
      }
      return
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return isPyDict(value)
}
