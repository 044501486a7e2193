import { validateParameters } from '../args/validate.js'
import type { OperationSpec } from '../model/index.js'
import { shape } from '../model/index.js'
import { MEMBER_DOCS } from '../model/servicediscovery.js'
import { formatJson } from '../output/json.js'
import type { OutputFormat } from '../output/render.js'
import { formatValue, query } from '../output/render.js'
import type { Settings } from './settings.js'

/**
 * `--generate-cli-skeleton [input|yaml-input|output]` (awscli/customizations/generatecliskeleton.py):
 * instead of calling the service, print a template of the input (JSON or commented YAML) or a fake
 * response run through the normal output formatter. No registry, credentials or region are involved.
 */
export type SkeletonKind = 'input' | 'yaml-input' | 'output'

export interface SkeletonOptions {
  /** Terminal width for table output; 80 when stdout is not a terminal (the default). */
  width?: number
  color?: boolean
  tty?: boolean
}

/** Whether the command asked for a skeleton, and which one (`--generate-cli-skeleton` alone means input). */
export function skeletonKind(value: unknown): SkeletonKind | undefined {
  return value === 'input' || value === 'yaml-input' || value === 'output' ? value : undefined
}

/**
 * The skeleton's stdout. For `output`, `params` are the call's parameters (command line and
 * --cli-input-* merged): the fake response is validated first, then the parameters, as botocore's
 * Stubber and client do, and both fail with "Parameter validation failed".
 */
export async function generateSkeleton(op: OperationSpec, kind: SkeletonKind, params: Record<string, unknown>, settings: Settings, options: SkeletonOptions = {}): Promise<string> {
  switch (kind) {
    case 'input':
      return inputSkeletonJson(op)
    case 'yaml-input':
      return inputSkeletonYaml(op)
    case 'output':
      return outputSkeleton(op, params, settings, options)
  }
}

// ---------------------------------------------------------------------------------------------------
// The skeleton value (botocore.utils.ArgumentGenerator)
// ---------------------------------------------------------------------------------------------------

interface Generator {
  /** Strings are their member's name (fake responses) instead of '' (input templates). */
  useMemberNames: boolean
  /** What a timestamp becomes: a naive datetime(1970, 1, 1) as the output format will print it. */
  timestamp: string
}

/**
 * The placeholder value of one shape: structures with every member in model order, one-element lists,
 * maps as {"KeyName": value}, '' (or the first enum value) for strings, 0 for numbers. A structure met
 * a second time on the current path (a recursive shape) becomes {}.
 */
function placeholder(shapeName: string, stack: string[], name: string, gen: Generator): unknown {
  stack.push(shapeName)
  try {
    const s = shape(shapeName)
    switch (s.type) {
      case 'structure': {
        if (stack.filter((n) => n === shapeName).length > 1) return {}
        const out: Record<string, unknown> = {}
        for (const [member, memberShape] of Object.entries(s.members)) out[member] = placeholder(memberShape, stack, member, gen)
        return out
      }
      case 'list':
        // With member names, a list's items are named after the list's member shape.
        return [placeholder(s.member, stack, gen.useMemberNames ? s.member : '', gen)]
      case 'map':
        return { KeyName: placeholder(s.value, stack, '', gen) }
      case 'string':
        if (gen.useMemberNames) return name
        return s.enum?.[0] ?? ''
      case 'integer':
      case 'long':
        return 0
      case 'timestamp':
        return gen.timestamp
    }
  } finally {
    stack.pop()
  }
}

/** The input template as a value: what --cli-input-json reads. */
export function inputSkeleton(op: OperationSpec): Record<string, unknown> {
  return placeholder(op.input, [], '', { useMemberNames: false, timestamp: '1970-01-01T00:00:00' }) as Record<string, unknown>
}

/**
 * `--generate-cli-skeleton` / `input`: json.dump(skeleton, indent=4) and a newline. Unlike --output
 * json, ensure_ascii keeps its default (True): everything outside printable ASCII is escaped.
 */
export function inputSkeletonJson(op: OperationSpec): string {
  const skeleton = inputSkeleton(op)
  if (Object.keys(skeleton).length === 0) return '{}\n'
  return formatJson(skeleton).replace(/[^\n\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

// ---------------------------------------------------------------------------------------------------
// yaml-input: ruamel.yaml's round-trip dump of the skeleton with an end-of-line comment per member
// ---------------------------------------------------------------------------------------------------

type YamlValue = string | number | YamlValue[] | YamlMapping

interface YamlEntry {
  key: string
  value: YamlValue
  /** The comment as ruamel writes it, '# ...' or ' # ...' (see memberComments), if any. */
  comment?: string
}

interface YamlMapping {
  entries: YamlEntry[]
}

function isMapping(value: YamlValue): value is YamlMapping {
  return typeof value === 'object' && !Array.isArray(value)
}

/** YAMLArgumentGenerator: the same placeholders, structures as commented mappings. */
function yamlPlaceholder(shapeName: string, stack: string[]): YamlValue {
  stack.push(shapeName)
  try {
    const s = shape(shapeName)
    switch (s.type) {
      case 'structure': {
        if (stack.filter((n) => n === shapeName).length > 1) return { entries: [] }
        const entries: YamlEntry[] = Object.entries(s.members).map(([key, memberShape]) => ({ key, value: yamlPlaceholder(memberShape, stack) }))
        memberComments(shapeName, entries)
        return { entries }
      }
      case 'list':
        return [yamlPlaceholder(s.member, stack)]
      case 'map':
        // A plain dict: its placeholder key carries no comment.
        return { entries: [{ key: 'KeyName', value: yamlPlaceholder(s.value, stack) }] }
      case 'string':
        return s.enum?.[0] ?? ''
      case 'integer':
      case 'long':
      case 'timestamp':
        // Timestamps do not occur in this model's inputs; 0 keeps the template a plain scalar.
        return 0
    }
  } finally {
    stack.pop()
  }
}

/**
 * The comment of each member: "[REQUIRED]" when required, the first sentence of its documentation
 * (generated into MEMBER_DOCS), "Valid values are: A, B." for enums, joined by spaces; none when that
 * is blank. ruamel (CommentedMap.yaml_add_eol_comment) places it at the column of a neighbouring key's
 * comment, found by looking at the previous key, else at keys before the first one that sorts at or
 * after this key; with none found the comment gets an extra leading space. Every column is 0, so the
 * emitter writes one space before '#' in the first case and two in the other: in practice the first
 * commented key of a mapping gets two spaces, the others one.
 */
function memberComments(structureName: string, entries: YamlEntry[]): void {
  const s = shape(structureName)
  if (s.type !== 'structure') return
  const required = new Set(s.required ?? [])
  const docs = MEMBER_DOCS[structureName] ?? {}
  const commented = new Set<string>()
  entries.forEach((entry, index) => {
    const parts: string[] = []
    if (required.has(entry.key)) parts.push('[REQUIRED]')
    parts.push(docs[entry.key] ?? '')
    const memberShape = shape(s.members[entry.key])
    if (memberShape.type === 'string' && memberShape.enum?.length) parts.push(`Valid values are: ${memberShape.enum.join(', ')}.`)
    const text = parts.join(' ')
    if (text === '' || /^\s+$/.test(text)) return
    let neighbour = index > 0 && commented.has(entries[index - 1].key)
    if (!neighbour) {
      for (const other of entries.slice(0, index + 1)) {
        if (other.key >= entry.key) break
        if (commented.has(other.key)) neighbour = true
      }
    }
    entry.comment = neighbour ? `# ${text}` : ` # ${text}`
    commented.add(entry.key)
  })
}

/** `--generate-cli-skeleton yaml-input`. */
export function inputSkeletonYaml(op: OperationSpec): string {
  const skeleton = yamlPlaceholder(op.input, [])
  if (isMapping(skeleton) && skeleton.entries.length === 0) return '{}\n'
  return emitNode(skeleton, 0, false)
}

/** A scalar as ruamel writes it: '' quoted, words plain, anything a YAML reader would retype quoted. */
function yamlScalar(value: string | number): string {
  if (typeof value === 'number') return String(value)
  const plain = /^[A-Za-z][A-Za-z0-9_-]*$/.test(value) && !/^(?:true|false|null|yes|no|on|off|y|n)$/i.test(value)
  return plain ? value : `'${value.replaceAll("'", "''")}'`
}

/** `key:` and its comment written after it (ruamel: at least one space before the comment). */
function withComment(text: string, comment: string | undefined): string {
  return comment === undefined ? `${text}\n` : `${text} ${comment}\n`
}

/**
 * Block style with 2-space mapping indentation; sequences inside mappings are not indented (`- ` at
 * the key's column); a mapping inside a sequence starts on the dash line.
 * @param inline the first line continues a `- ` already written
 */
function emitNode(value: YamlValue, indent: number, inline: boolean): string {
  const pad = ' '.repeat(indent)
  if (Array.isArray(value)) {
    if (value.length === 0) return `${inline ? '' : pad}[]\n`
    return value
      .map((item, i) => {
        const prefix = `${i === 0 && inline ? '' : pad}- `
        if (typeof item === 'object' && (Array.isArray(item) ? item.length > 0 : item.entries.length > 0)) return prefix + emitNode(item, indent + 2, true)
        return prefix + emitInline(item)
      })
      .join('')
  }
  if (!isMapping(value)) return `${inline ? '' : pad}${yamlScalar(value)}\n`
  if (value.entries.length === 0) return `${inline ? '' : pad}{}\n`
  let out = ''
  value.entries.forEach((entry, i) => {
    const head = `${i === 0 && inline ? '' : pad}${entry.key}:`
    const v = entry.value
    if (Array.isArray(v) && v.length > 0) out += withComment(head, entry.comment) + emitNode(v, indent, false)
    else if (typeof v === 'object' && isMapping(v) && v.entries.length > 0) out += withComment(head, entry.comment) + emitNode(v, indent + 2, false)
    else out += withComment(`${head} ${emitInline(v).slice(0, -1)}`, entry.comment)
  })
  return out
}

/** A scalar or an empty collection, on the current line. */
function emitInline(value: YamlValue): string {
  if (Array.isArray(value)) return '[]\n'
  if (isMapping(value)) return '{}\n'
  return `${yamlScalar(value)}\n`
}

// ---------------------------------------------------------------------------------------------------
// output: a fake response through the normal formatter
// ---------------------------------------------------------------------------------------------------

/**
 * The fake response of `output` (ArgumentGenerator(use_member_names=True)): strings are their member
 * names, numbers 0, timestamps a naive datetime(1970, 1, 1), which json.dumps prints with isoformat()
 * ("1970-01-01T00:00:00") and the text and table formatters with str() ("1970-01-01 00:00:00").
 */
export function fakeResponse(op: OperationSpec, format: OutputFormat): Record<string, unknown> {
  if (op.output === null) return {}
  const timestamp = format === 'text' || format === 'table' ? '1970-01-01 00:00:00' : '1970-01-01T00:00:00'
  return placeholder(op.output, [], '', { useMemberNames: true, timestamp }) as Record<string, unknown>
}

async function outputSkeleton(op: OperationSpec, params: Record<string, unknown>, settings: Settings, options: SkeletonOptions): Promise<string> {
  const response = fakeResponse(op, settings.output)
  // Stubber.add_response validates the response before the stubbed call validates the parameters.
  if (op.output !== null) validateParameters(response, op.output)
  validateParameters(params, op.input)
  const tty = options.tty ?? false
  return formatValue(await query(settings.query, response), {
    format: settings.output,
    operationName: op.name,
    width: options.width ?? 80,
    color: options.color ?? false,
    tty,
  })
}
