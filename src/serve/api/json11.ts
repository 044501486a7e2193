import type { IncomingHttpHeaders } from 'node:http'
import { parsePythonJson } from '../../args/python-json.js'
import type { OperationName } from '../../model/index.js'
import { isOperationName, SERVICE } from '../../model/index.js'
import { CloudmapError } from '../../registry/errors.js'
import type { Registry } from '../../registry/registry.js'
import type { WireError } from './wire.js'

/** The raw request as the gate sees it (SigV4 is computed over exactly these bytes). */
export interface RawRequest {
  method: string
  /** Path and query as received. */
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
  /** The client's address (IAM's aws:SourceIp), without an IPv4-mapped IPv6 prefix. */
  sourceIp?: string
}

/**
 * Access control in front of the API (serve/auth): who is calling, then whether they may make this call.
 * Without one, every request is answered.
 */
export interface RequestGate {
  /** Who signed the request; a WireError when the signature is missing or wrong. */
  authenticate(request: RawRequest): Promise<Principal | WireError>
  /** Whether the principal may make this call (IAM); a WireError (AccessDeniedException) when not. */
  authorize(principal: Principal, operation: OperationName, input: Record<string, unknown>): Promise<WireError | undefined>
}

/** An authenticated caller. */
export interface Principal {
  /** The access key id the request was signed with. */
  accessKeyId: string
  /** The IAM user ARN the key belongs to (denial messages name it). */
  arn: string
  /** Where the request came from (aws:SourceIp). */
  sourceIp?: string
}

export type ApiAnswer = { status: 200; body: unknown } | WireError

const JSON_TYPES = new Set(['application/x-amz-json-1.1', 'application/json', 'application/x-amz-json-1.0'])

export function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && 'type' in value && 'status' in value
}

/**
 * One call of the AWS JSON 1.1 protocol, as AWS SDKs, the AWS CLI and Terraform make it: `POST /` with
 * `X-Amz-Target: Route53AutoNaming_v20170314.<Operation>` and a JSON body; the answer is the output, or
 * an error `{"__type": "<Code>", "message": "..."}`. Any Host is answered, so clients that keep
 * DiscoverInstances' `data-` host prefix reach us too. The signature is checked before anything else
 * (AWS's front end refuses an unsigned request whatever it asks), then the target and body, then the
 * policy; a refused call runs nothing.
 */
export async function answerApiCall(registry: Registry, gate: RequestGate | undefined, request: RawRequest): Promise<ApiAnswer> {
  let principal: Principal | undefined
  if (gate) {
    const who = await gate.authenticate(request)
    if (isWireError(who)) return who
    principal = who
  }
  const target = String(request.headers['x-amz-target'] ?? '')
  const prefix = `${SERVICE.targetPrefix}.`
  const op = target.startsWith(prefix) ? target.slice(prefix.length) : ''
  if (!isOperationName(op)) return { status: 400, type: 'UnknownOperationException', message: `Unknown operation ${target || '(no X-Amz-Target header)'}` }
  const contentType = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (request.body.length > 0 && !JSON_TYPES.has(contentType)) {
    return { status: 400, type: 'SerializationException', message: `Unsupported Content-Type ${JSON.stringify(contentType)}: send application/x-amz-json-1.1` }
  }
  let input: unknown
  try {
    const text = request.body.toString('utf8')
    input = text.trim() === '' ? {} : parsePythonJson(text)
  } catch (error) {
    return { status: 400, type: 'SerializationException', message: (error as Error).message }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { status: 400, type: 'SerializationException', message: 'The request body must be a JSON object.' }
  }
  if (gate && principal) {
    const denied = await gate.authorize(principal, op, input as Record<string, unknown>)
    if (denied) return denied
  }
  try {
    return { status: 200, body: await registry.invoke(op, input as never) }
  } catch (error) {
    if (error instanceof CloudmapError && error.kind === 'service') return { status: error.httpStatus, type: error.code, message: error.message }
    // Parameter checks the SDK would have made, and a registry that can't be read (damaged by hand): the
    // caller is told why, and serve keeps running.
    if (error instanceof CloudmapError && (error.kind === 'param' || error.kind === 'usage')) return { status: 400, type: 'InvalidInput', message: error.message }
    return { status: 500, type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) }
  }
}
