import type { Tag } from '../../../model/api-types.js'
import { CloudmapError } from '../../../registry/errors.js'
import type { InstanceRecord, NamespaceRecord, OperationRecord, ServiceRecord } from '../state.js'
import { SCHEMA_VERSION } from '../state.js'
import { MAIN, operationBucket, serviceShard, tokenBucket } from './paths.js'

/** The registry file (schema 2): everything but instances and operations, which are in shards. */
export interface MainDocument {
  schemaVersion: number
  /** Count of writes (ids derive from it when CLOUDMAP_SEED is set). */
  sequence: number
  /** Count of operations ever submitted: the next one gets Seq operationSequence + 1. */
  operationSequence: number
  namespaces: Record<string, NamespaceRecord>
  services: Record<string, ServiceRecord>
  /** resource ARN -> tags */
  tags: Record<string, Tag[]>
  /** Ids of operations still SUBMITTED or PENDING, in submission order (they complete as time passes). */
  waitingOperations: string[]
}

/** services/<srv-id>.json */
export interface InstanceShard {
  serviceId: string
  instances: Record<string, InstanceRecord>
}

/** operations/<xx>.json */
export interface OperationBucket {
  operations: Record<string, OperationRecord>
}

/** request-tokens/<xx>.json: scoped request token -> ids of the operations submitted with it. */
export interface TokenBucket {
  requestTokens: Record<string, string[]>
}

/** Schema 1, and the whole registry in memory: what a migration starts from and the bench generates. */
export interface FlatRegistry {
  schemaVersion?: number
  namespaces: Record<string, NamespaceRecord>
  services: Record<string, ServiceRecord>
  instances: Record<string, Record<string, InstanceRecord>>
  operations: Record<string, OperationRecord>
  tags: Record<string, Tag[]>
  sequence: number
}

export function emptyMain(): MainDocument {
  return { schemaVersion: SCHEMA_VERSION, sequence: 0, operationSequence: 0, namespaces: {}, services: {}, tags: {}, waitingOperations: [] }
}

/** Indented, keys in the order the documents are built with, newline at the end: small git diffs. */
export function serialize(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`
}

/** The registry file's fields in a fixed order, whatever order the object was built in. */
export function mainDocument(doc: MainDocument): MainDocument {
  return {
    schemaVersion: doc.schemaVersion,
    sequence: doc.sequence,
    operationSequence: doc.operationSequence,
    namespaces: doc.namespaces,
    services: doc.services,
    tags: doc.tags,
    waitingOperations: doc.waitingOperations,
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0

const UNTOUCHED = 'cloudmap left it untouched'

/** Parse a file's text, turning a syntax error into the message for that file. */
function parseJson(text: string, describe: (problem: string) => string): unknown {
  if (text.trim() === '') throw new CloudmapError('other', describe(text.length === 0 ? 'is empty (0 bytes): a copy or write was probably cut short' : 'holds only whitespace'))
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new CloudmapError('other', describe(`is not valid JSON (${(error as Error).message}): it is truncated or damaged`))
  }
}

/** A readable registry file: schema 2, or schema 1 (to migrate). Anything else is refused, untouched. */
export function parseMain(text: string, path: string): { version: 2; doc: MainDocument } | { version: 1; doc: FlatRegistry } {
  const data = parseJson(text, (problem) => `The registry file ${path} ${problem}. Restore it from a backup or version control (git checkout -- ${path}), or move it away to start a new registry; ${UNTOUCHED}.`)
  const notOurs = (why: string) =>
    new CloudmapError('other', `The file ${path} is not a cloudmap registry (${why}). Point --registry (or CLOUDMAP_REGISTRY) at a registry file, or at a path that does not exist yet to start a new registry; ${UNTOUCHED}.`)
  if (!isRecord(data)) throw notOurs(`it holds ${Array.isArray(data) ? 'an array' : `a JSON ${data === null ? 'null' : typeof data}`}, not an object`)
  const version = data.schemaVersion
  if (version === undefined) throw notOurs('it has no schemaVersion')
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw notOurs(`its schemaVersion is ${JSON.stringify(version)}`)
  if (version > SCHEMA_VERSION) {
    throw new CloudmapError(
      'other',
      `The registry file ${path} has schema version ${version}, newer than this cloudmap understands (${SCHEMA_VERSION}): a newer cloudmap wrote it. Upgrade cloudmap (npm install -g cloudmap@latest) to use it; ${UNTOUCHED}.`,
    )
  }
  const damaged = (field: string, expected: string) =>
    new CloudmapError('other', `The registry file ${path} is damaged: ${field} is not ${expected}. Restore it from a backup or version control (git checkout -- ${path}); ${UNTOUCHED}.`)
  for (const field of ['namespaces', 'services', 'tags']) if (!isRecord(data[field])) throw damaged(field, 'an object')
  if (!isCount(data.sequence)) throw damaged('sequence', 'a count')
  if (version === 1) {
    for (const field of ['instances', 'operations']) if (!isRecord(data[field])) throw damaged(field, 'an object')
    return { version: 1, doc: data as unknown as FlatRegistry }
  }
  if (!isCount(data.operationSequence)) throw damaged('operationSequence', 'a count')
  if (!Array.isArray(data.waitingOperations) || !data.waitingOperations.every((id) => typeof id === 'string')) throw damaged('waitingOperations', 'a list of operation ids')
  return { version: 2, doc: data as unknown as MainDocument }
}

/** What each shard folder holds, for messages. */
function shardKind(file: string): string {
  if (file.startsWith('services/')) return 'the instances of one service'
  if (file.startsWith('operations/')) return 'operations'
  return 'request tokens'
}

/** A shard's document, checked for the shape its folder promises. */
export function parseShard(file: string, text: string, path: string, registry: string): unknown {
  const advice = `Restore it from a backup or version control (git checkout -- ${path}); cloudmap left the registry ${registry} untouched.`
  const data = parseJson(text, (problem) => `The registry shard ${path} (${shardKind(file)}) ${problem}. ${advice}`)
  const field = file.startsWith('services/') ? 'instances' : file.startsWith('operations/') ? 'operations' : 'requestTokens'
  if (!isRecord(data) || !isRecord(data[field])) {
    throw new CloudmapError('other', `The registry shard ${path} (${shardKind(file)}) is damaged: it has no "${field}" object. ${advice}`)
  }
  return data
}

/** Operations in submission order: by Seq, then (records without one, edited by hand) by date and id. */
export function bySubmission(a: OperationRecord, b: OperationRecord): number {
  const sa = a.Seq ?? Number.MAX_SAFE_INTEGER
  const sb = b.Seq ?? Number.MAX_SAFE_INTEGER
  if (sa !== sb) return sa - sb
  return a.CreateDate < b.CreateDate ? -1 : a.CreateDate > b.CreateDate ? 1 : a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0
}

/**
 * The whole registry laid out as files (schema 2): file name (relative to the shard folder, MAIN for the
 * registry file) -> document. Used to migrate schema 1 and to generate registries for the benchmarks.
 */
export function splitRegistry(flat: FlatRegistry): Map<string, unknown> {
  const files = new Map<string, unknown>()
  const services: Record<string, ServiceRecord> = {}
  for (const [id, srv] of Object.entries(flat.services)) {
    const { InstanceCount: _stale, ...record } = srv
    const count = Object.keys(flat.instances[id] ?? {}).length
    services[id] = count > 0 ? { ...record, InstanceCount: count } : record
  }
  for (const [serviceId, instances] of Object.entries(flat.instances)) {
    if (Object.keys(instances).length > 0) files.set(serviceShard(serviceId), { serviceId, instances } satisfies InstanceShard)
  }
  const operations = Object.values(flat.operations)
  // Schema 1 kept operations in submission order; a Seq makes that order explicit across shards.
  operations.forEach((op, i) => (op.Seq ??= i + 1))
  operations.sort(bySubmission)
  const waiting: string[] = []
  for (const op of operations) {
    const bucket = operationBucket(op.Id)
    const doc = (files.get(bucket) as OperationBucket | undefined) ?? { operations: {} }
    doc.operations[op.Id] = op
    files.set(bucket, doc)
    if (op.Effect !== undefined) waiting.push(op.Id)
    if (op.RequestToken !== undefined) {
      const tokens = tokenBucket(op.RequestToken)
      const index = (files.get(tokens) as TokenBucket | undefined) ?? { requestTokens: {} }
      ;(index.requestTokens[op.RequestToken] ??= []).push(op.Id)
      files.set(tokens, index)
    }
  }
  const seq = operations.reduce((max, op) => Math.max(max, op.Seq ?? 0), 0)
  files.set(
    MAIN,
    mainDocument({ schemaVersion: SCHEMA_VERSION, sequence: flat.sequence, operationSequence: seq, namespaces: flat.namespaces, services, tags: flat.tags, waitingOperations: waiting }),
  )
  return files
}
