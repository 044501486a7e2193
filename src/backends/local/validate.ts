import type { OperationName, Shape } from '../../model/index.js'
import { operationSpec, shape } from '../../model/index.js'
import { serviceError } from '../../registry/errors.js'

/**
 * The service side of input validation, driven by the API model: it walks the operation's input shape
 * and checks every constraint the model states — required members, types, length and value ranges,
 * patterns and enums. The AWS CLI checks only `min` client-side, so everything else is the service's job.
 * Problems are collected and reported together as one InvalidInput error, in AWS's validation wording
 * ("N validation errors detected: Value 'x' at 'Path' failed to satisfy constraint: Member must ...").
 * Members the model does not know are ignored, as the JSON protocol does.
 */
export function validateInput(op: OperationName, input: unknown): void {
  const errors: string[] = []
  const inputShape = operationSpec(op).input
  walk(input ?? {}, inputShape, '', errors)
  if (errors.length > 0) {
    throw serviceError('InvalidInput', `${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: ${errors.join('; ')}`)
  }
}

const patterns = new Map<string, RegExp | null>()

/** What the model's less readable patterns mean, keyed by shape name, appended to the AWS wording. */
const PATTERN_HINTS: Record<string, string> = {
  ServiceName: 'DNS labels of letters, digits, _ and -, each up to 63 characters, 127 in all',
  NamespaceNamePublic: 'a domain name such as example.com',
  NamespaceNameHttp: "printable ASCII without spaces, not starting with 'arn:'",
  NamespaceNamePrivate: "printable ASCII without spaces, not starting with 'arn:'",
  NamespaceName: 'printable ASCII without spaces',
  InstanceId: 'letters, digits and _ / : . @ -',
  AttrKey: 'printable ASCII without spaces',
  AttrValue: 'printable ASCII, spaces and tabs, not starting with a space or tab',
}

/** Model patterns are Java regular expressions matched against the whole value. */
function compiled(pattern: string): RegExp | null {
  let re = patterns.get(pattern)
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`)
    } catch {
      re = null // a pattern JavaScript cannot express is not checked rather than rejecting everything
    }
    patterns.set(pattern, re)
  }
  return re
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  let text: string
  if (typeof value === 'string') text = value
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value)
  else {
    try {
      text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
    } catch {
      text = String(value)
    }
  }
  return `'${text.length > 100 ? `${text.slice(0, 100)}...` : text}'`
}

function fail(errors: string[], value: unknown, path: string, constraint: string): void {
  errors.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${constraint}`)
}

function join(path: string, member: string): string {
  return path === '' ? member : `${path}.${member}`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Constraint failures of a string against its shape, as "Member must ..." phrases. */
function stringProblems(value: string, s: Extract<Shape, { type: 'string' }>, shapeName: string): string[] {
  const problems: string[] = []
  // Lengths count characters (code points), as the service does, not UTF-16 units.
  const length = [...value].length
  if (s.min !== undefined && length < s.min) problems.push(`Member must have length greater than or equal to ${s.min}`)
  if (s.max !== undefined && length > s.max) problems.push(`Member must have length less than or equal to ${s.max}`)
  const re = s.pattern === undefined ? null : compiled(s.pattern)
  if (re !== null && !re.test(value)) {
    const hint = PATTERN_HINTS[shapeName]
    problems.push(`Member must satisfy regular expression pattern: ${s.pattern}${hint === undefined ? '' : ` (${hint})`}`)
  }
  if (s.enum !== undefined && !s.enum.includes(value)) problems.push(`Member must satisfy enum value set: [${s.enum.join(', ')}]`)
  return problems
}

function walk(value: unknown, shapeName: string, path: string, errors: string[]): void {
  const s = shape(shapeName)
  const where = path === '' ? 'input' : path
  switch (s.type) {
    case 'structure': {
      if (!isObject(value)) return fail(errors, value, where, 'Member must be a structure')
      for (const member of s.required ?? []) {
        if (value[member] === undefined || value[member] === null) fail(errors, null, join(path, member), 'Member must not be null')
      }
      for (const [member, memberShape] of Object.entries(s.members)) {
        const v = value[member]
        if (v !== undefined && v !== null) walk(v, memberShape, join(path, member), errors)
      }
      return
    }
    case 'list': {
      if (!Array.isArray(value)) return fail(errors, value, where, 'Member must be a list')
      if (s.min !== undefined && value.length < s.min) fail(errors, value, where, `Member must have length greater than or equal to ${s.min}`)
      if (s.max !== undefined && value.length > s.max) fail(errors, value, where, `Member must have length less than or equal to ${s.max}`)
      value.forEach((item, i) => {
        if (item === undefined || item === null) fail(errors, null, `${where}[${i}]`, 'Member must not be null')
        else walk(item, s.member, `${where}[${i}]`, errors)
      })
      return
    }
    case 'map': {
      if (!isObject(value)) return fail(errors, value, where, 'Member must be a map')
      const entries = Object.entries(value)
      if (s.min !== undefined && entries.length < s.min) fail(errors, value, where, `Member must have length greater than or equal to ${s.min}`)
      if (s.max !== undefined && entries.length > s.max) fail(errors, value, where, `Member must have length less than or equal to ${s.max}`)
      const keyShape = shape(s.key)
      for (const [k, v] of entries) {
        if (keyShape.type === 'string') {
          const problems = stringProblems(k, keyShape, s.key)
          if (problems.length > 0) fail(errors, k, where, `Map keys must satisfy constraint: [${problems.join(', ')}]`)
        }
        if (v === undefined || v === null) fail(errors, null, `${where}.${k}`, 'Member must not be null')
        else walk(v, s.value, `${where}.${k}`, errors)
      }
      return
    }
    case 'string': {
      if (typeof value !== 'string') return fail(errors, value, where, 'Member must be a string')
      for (const problem of stringProblems(value, s, shapeName)) fail(errors, value, where, problem)
      return
    }
    case 'integer':
    case 'long': {
      const isInteger = (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint'
      if (!isInteger) return fail(errors, value, where, `Member must be ${s.type === 'long' ? 'a long' : 'an integer'}`)
      const n = BigInt(value as number | bigint)
      if (s.min !== undefined && n < BigInt(s.min)) fail(errors, value, where, `Member must have value greater than or equal to ${s.min}`)
      if (s.max !== undefined && n > BigInt(s.max)) fail(errors, value, where, `Member must have value less than or equal to ${s.max}`)
      return
    }
    case 'timestamp':
      return
  }
}
