import { readFileSync } from 'node:fs'
import { LineCounter, parseDocument, stringify } from 'yaml'
import type { DnsConfig, HealthCheckConfig, HealthCheckCustomConfig, NamespaceType } from '../model/api-types.js'

/**
 * The registry document of `cloudmap export | apply | diff`: namespaces, services and instances keyed by
 * name (never by id, which differs from one backend to the next), with the Cloud Map API's member names.
 * Its JSON Schema is schema/registry-document.schema.json.
 */
export interface RegistryDocument {
  Namespaces: Record<string, NamespaceDoc>
}

export interface NamespaceDoc {
  Type: NamespaceType
  Description?: string
  /** DNS_PRIVATE: the VPC to create the namespace in. Cloud Map does not report it, so export omits it. */
  Vpc?: string
  Properties?: { DnsProperties: { SOA: { TTL: number } } }
  Tags?: Record<string, string>
  Services?: Record<string, ServiceDoc>
}

export interface ServiceDoc {
  Description?: string
  DnsConfig?: Pick<DnsConfig, 'RoutingPolicy' | 'DnsRecords'>
  HealthCheckConfig?: HealthCheckConfig
  HealthCheckCustomConfig?: HealthCheckCustomConfig
  Attributes?: Record<string, string>
  Tags?: Record<string, string>
  /** Instance id -> its attributes. */
  Instances?: Record<string, Record<string, string>>
}

export type DocumentFormat = 'yaml' | 'json'

/** The schema file, beside dist/ and src/ in the package. */
export const SCHEMA_PATH = new URL('../../schema/registry-document.schema.json', import.meta.url)

export function loadSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const RECORD_ORDER = ['A', 'AAAA', 'SRV', 'CNAME']

function sortedMap<T, U = T>(map: Record<string, T> | undefined, each: (value: T) => U = (v) => v as unknown as U): Record<string, U> | undefined {
  if (map === undefined) return undefined
  const keys = Object.keys(map).sort(byCodeUnit)
  if (keys.length === 0) return undefined
  // A null-prototype object keeps keys such as "__proto__" as data.
  const out = Object.create(null) as Record<string, U>
  for (const k of keys) out[k] = each(map[k])
  return out
}

function defined<T extends object>(value: T): T {
  for (const [k, v] of Object.entries(value)) if (v === undefined) delete (value as Record<string, unknown>)[k]
  return value
}

/**
 * The canonical form: every map sorted by key, members in one fixed order, empty maps and empty
 * descriptions dropped, DNS records in type order. Two documents that mean the same print the same.
 */
export function canonical(doc: RegistryDocument): RegistryDocument {
  return {
    Namespaces:
      sortedMap(doc.Namespaces, (ns) =>
        defined<NamespaceDoc>({
          Type: ns.Type,
          Description: ns.Description === '' ? undefined : ns.Description,
          Vpc: ns.Vpc,
          Properties: ns.Properties && { DnsProperties: { SOA: { TTL: ns.Properties.DnsProperties.SOA.TTL } } },
          Tags: sortedMap(ns.Tags),
          Services: sortedMap(ns.Services, canonicalService),
        }),
      ) ?? {},
  }
}

function canonicalService(s: ServiceDoc): ServiceDoc {
  return defined<ServiceDoc>({
    Description: s.Description === '' ? undefined : s.Description,
    DnsConfig: s.DnsConfig && {
      RoutingPolicy: s.DnsConfig.RoutingPolicy ?? 'MULTIVALUE',
      DnsRecords: [...s.DnsConfig.DnsRecords].sort((a, b) => RECORD_ORDER.indexOf(a.Type) - RECORD_ORDER.indexOf(b.Type)).map((r) => ({ Type: r.Type, TTL: r.TTL })),
    },
    HealthCheckConfig: s.HealthCheckConfig && defined({ Type: s.HealthCheckConfig.Type, ResourcePath: s.HealthCheckConfig.ResourcePath, FailureThreshold: s.HealthCheckConfig.FailureThreshold }),
    HealthCheckCustomConfig: s.HealthCheckCustomConfig && defined({ FailureThreshold: s.HealthCheckCustomConfig.FailureThreshold }),
    Attributes: sortedMap(s.Attributes),
    Tags: sortedMap(s.Tags),
    Instances: sortedMap(s.Instances, (attributes) => sortedMap(attributes) ?? {}),
  })
}

const YAML_HEADER = '# cloudmap registry document (schema/registry-document.schema.json): cloudmap apply -f FILE\n'

/** The document as text: canonical, so an export diffs cleanly in git. */
export function renderDocument(doc: RegistryDocument, format: DocumentFormat): string {
  const c = canonical(doc)
  if (format === 'json') return `${JSON.stringify(c, null, 2)}\n`
  return YAML_HEADER + stringify(c, { lineWidth: 0, aliasDuplicateObjects: false })
}

/** A problem with a document: where (a path in the document, with its line when known) and why. */
export interface DocumentProblem {
  path: string
  line?: number
  reason: string
}

/** A document that cannot be applied; nothing was changed. */
export class DocumentError extends Error {
  constructor(
    readonly source: string,
    readonly problems: DocumentProblem[],
  ) {
    super(`The document ${source} is not valid; nothing was changed:\n${problems.map((p) => `  ${p.path}${p.line === undefined ? '' : ` (line ${p.line})`}: ${p.reason}`).join('\n')}`)
  }
}

/** A path in the document as it reads: Namespaces["example.com"].Services.web */
export function documentPath(segments: readonly (string | number)[]): string {
  let out = ''
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) out += out === '' ? s : `.${s}`
    else out += `[${JSON.stringify(s)}]`
  }
  return out === '' ? '(document)' : out
}

export interface ParsedText {
  value: unknown
  /** The 1-based line of the node at a path, when the text has it. */
  lineOf(segments: readonly (string | number)[]): number | undefined
}

/**
 * Parse YAML or JSON (YAML 1.2 reads JSON) keeping line positions. Duplicate keys — a name given twice —
 * are an error here, where JSON.parse would silently keep the last one.
 */
export function parseText(text: string, source: string): ParsedText {
  const lines = new LineCounter()
  const parsed = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true })
  const problems: DocumentProblem[] = parsed.errors.map((e) => {
    const at = lines.linePos(e.pos[0])
    const reason = e.code === 'DUPLICATE_KEY' ? `a name or key is given twice (${firstLine(e.message)})` : firstLine(e.message)
    return { path: duplicatePath(parsed, e.pos[0]) ?? '(document)', line: at.line, reason }
  })
  if (problems.length > 0) throw new DocumentError(source, problems)
  return {
    value: parsed.toJS({ maxAliasCount: 100 }),
    lineOf: (segments) => {
      const node = parsed.getIn(segments, true) as { range?: [number, number, number] } | undefined
      const pos = node?.range?.[0]
      return pos === undefined ? undefined : lines.linePos(pos).line
    },
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
}

/** The path of the map holding a duplicated key at `offset`, found by walking the parsed tree. */
function duplicatePath(doc: ReturnType<typeof parseDocument>, offset: number): string | undefined {
  let found: (string | number)[] | undefined
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (found || node === null || typeof node !== 'object') return
    const items = (node as { items?: unknown[] }).items
    if (!Array.isArray(items)) return
    items.forEach((item, index) => {
      const pair = item as { key?: { value?: unknown; range?: [number, number, number] }; value?: unknown }
      if (pair.key !== undefined) {
        const range = pair.key.range
        if (range && range[0] <= offset && offset <= range[1]) found = [...path, String(pair.key.value)]
        walk(pair.value, [...path, String(pair.key?.value)])
      } else walk(item, [...path, index])
    })
  }
  walk(doc.contents, [])
  return found && documentPath(found)
}
