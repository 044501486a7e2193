import type { Shape } from '../model/index.js'
import { shape } from '../model/index.js'
import { supportsShorthand } from '../args/unpack.js'

/**
 * The syntax blocks `aws CMD help` prints under a parameter, ported from awscli: Shorthand Syntax from
 * argprocess.py ParamShorthandDocGen, JSON Syntax and the Syntax of a list of scalars from clidocs.py
 * OperationDocumentEventHandler (_json_example, doc_option_example). Shapes are named by the model, so
 * recursion is noticed by shape name as awscli notices it. test/cli/help.test.ts compares every
 * parameter with what the AWS CLI prints (recorded by scripts/record-help-syntax.mjs).
 */

const COMPLEX = new Set(['structure', 'list', 'map'])
/** ParamShorthandDocGen._MAX_STACK: deeper shapes are "too complex" and get no shorthand example. */
const MAX_STACK = 3

class TooComplex extends Error {}

function shorthandDocs(name: string, stack: string[]): string {
  if (stack.length > MAX_STACK) throw new TooComplex()
  const s = shape(name)
  switch (s.type) {
    case 'structure': {
      const inner = Object.entries(s.members).map(([member, shapeName]) => memberDocs(member, shapeName, stack)).join(',')
      return stack.length ? `{${inner}}` : inner
    }
    case 'list': {
      stack.push(s.member)
      let element: string
      try {
        element = shorthandDocs(s.member, stack)
      } finally {
        stack.pop()
      }
      return COMPLEX.has(shape(s.member).type) || stack.length > 1 ? `[${element},${element}]` : `${element},${element}`
    }
    case 'map': {
      const value = shorthandDocs(s.value, stack)
      const start = `KeyName1=${value},KeyName2=${value}`
      const key = shape(s.key)
      if (key.type === 'string' && key.enum && !stack.length) return `${start}\n\nWhere valid key names are:\n${key.enum.map((e) => `  ${e}\n`).join('')}`
      return stack.length ? `{${start}}` : start
    }
    default:
      return s.type
  }
}

function memberDocs(member: string, shapeName: string, stack: string[]): string {
  if (stack.includes(shapeName)) return `${member}=( ... recursive ... )`
  stack.push(shapeName)
  try {
    return `${member}=${shorthandDocs(shapeName, stack)}`
  } finally {
    stack.pop()
  }
}

/**
 * The Shorthand Syntax example of a parameter, or undefined when the AWS CLI prints none (scalars, lists
 * of scalars, a structure of a lone string `Value`, shapes too deep to show).
 */
export function shorthandSyntax(shapeName: string): string | undefined {
  const s = shape(shapeName)
  if (!supportsShorthand(s)) return undefined
  if (s.type === 'structure' && Object.keys(s.members).length === 1 && 'Value' in s.members && shape(s.members.Value).type === 'string') return undefined
  try {
    return s.type === 'list' ? `${shorthandDocs(s.member, [])} ...` : shorthandDocs(shapeName, []) || undefined
  } catch (error) {
    if (error instanceof TooComplex) return undefined
    throw error
  }
}

/** clidocs._json_example_value_name. */
function valueName(s: Shape, includeEnumValues = true): string {
  if (s.type === 'string') return s.enum && includeEnumValues ? s.enum.map((c) => `"${c}"`).join('|') : '"string"'
  return s.type
}

/** A writer with bcdoc's indent/new_line: a new line starts at the current indent (two spaces a level). */
class Writer {
  text = ''
  private level = 0
  write(s: string): void {
    this.text += s
  }
  indent(): void {
    this.level++
  }
  dedent(): void {
    this.level--
  }
  newLine(): void {
    this.text += `\n${'  '.repeat(this.level)}`
  }
}

function jsonExample(w: Writer, name: string, stack: string[]): void {
  if (stack.includes(name) && stack.filter((n) => n === name).length > 1) {
    if (shape(name).type === 'structure') w.write('{ ... recursive ... }')
    return
  }
  stack.push(name)
  try {
    doJsonExample(w, shape(name), stack)
  } finally {
    stack.pop()
  }
}

function doJsonExample(w: Writer, s: Shape, stack: string[]): void {
  if (s.type === 'list') {
    w.write('[')
    const member = shape(s.member)
    if (!COMPLEX.has(member.type)) {
      w.write(`${valueName(member)}, ...`)
    } else {
      w.indent()
      w.newLine()
      jsonExample(w, s.member, stack)
      w.newLine()
      w.write('...')
      w.dedent()
      w.newLine()
    }
    w.write(']')
  } else if (s.type === 'map') {
    w.write('{')
    w.indent()
    w.write(`${valueName(shape(s.key))}: `)
    const value = shape(s.value)
    if (!COMPLEX.has(value.type)) {
      w.write(valueName(value))
    } else {
      w.indent()
      jsonExample(w, s.value, stack)
      w.dedent()
    }
    w.newLine()
    w.write('...')
    w.dedent()
    w.write('}')
  } else if (s.type === 'structure') {
    w.write('{')
    w.indent()
    w.newLine()
    const members = Object.entries(s.members)
    members.forEach(([member, shapeName], i) => {
      const m = shape(shapeName)
      if (COMPLEX.has(m.type)) {
        w.write(`"${member}": `)
        jsonExample(w, shapeName, stack)
      } else {
        w.write(`"${member}": ${valueName(m)}`)
      }
      if (i < members.length - 1) {
        w.write(',')
        w.newLine()
      }
    })
    w.dedent()
    w.newLine()
    w.write('}')
  }
}

/** The JSON Syntax example of a structure, map or list of complex shapes; undefined for other shapes. */
export function jsonSyntax(shapeName: string): string | undefined {
  const s = shape(shapeName)
  if (!COMPLEX.has(s.type) || (s.type === 'list' && !COMPLEX.has(shape(s.member).type))) return undefined
  const w = new Writer()
  jsonExample(w, shapeName, [])
  return w.text
}

/** The Syntax block of a list of scalars (`"string" "string" ...`, and the valid values of an enum). */
export function listSyntax(shapeName: string): string | undefined {
  const s = shape(shapeName)
  if (s.type !== 'list') return undefined
  const member = shape(s.member)
  if (COMPLEX.has(member.type)) return undefined
  const t = valueName(member, false)
  const values = member.type === 'string' && member.enum ? `\n\nWhere valid values are:\n${member.enum.map((v) => `    ${v}\n`).join('')}\n` : ''
  return `${t} ${t} ...${values}`
}
