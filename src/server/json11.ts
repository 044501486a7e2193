import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { parsePythonJson } from '../args/python-json.js'
import { isOperationName, SERVICE } from '../model/index.js'
import { CloudmapError } from '../registry/errors.js'
import type { Registry } from '../registry/registry.js'

/**
 * The AWS JSON 1.1 wire protocol over a Registry, as AWS SDKs, the AWS CLI and Terraform speak it:
 * `POST /` with `X-Amz-Target: Route53AutoNaming_v20170314.<Operation>` and a JSON body; the answer is
 * the output as JSON (timestamps as epoch seconds, 64-bit integers as digits), or an error
 * `{"__type": "<Code>", "message": "..."}`. Any Host is answered: clients that keep DiscoverInstances'
 * `data-` host prefix reach us too. Requests are not authenticated (any signature is accepted).
 */
export function createJson11Server(registry: Registry): Server {
  // Calls run concurrently: the local registry serialises its own writes (lock + journal).
  return createServer((request, response) => {
    handle(registry, request, response).catch((error: unknown) => reply(response, 500, { __type: 'InternalFailure', message: String(error) }))
  })
}

async function handle(registry: Registry, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const target = String(request.headers['x-amz-target'] ?? '')
  const prefix = `${SERVICE.targetPrefix}.`
  const op = target.startsWith(prefix) ? target.slice(prefix.length) : ''
  if (request.method !== 'POST' || !isOperationName(op)) {
    return reply(response, 400, { __type: 'UnknownOperationException', message: `Unknown operation ${target || '(no X-Amz-Target)'}` })
  }
  let input: unknown
  try {
    const text = Buffer.concat(chunks).toString('utf8')
    input = text.trim() === '' ? {} : parsePythonJson(text)
  } catch (error) {
    return reply(response, 400, { __type: 'SerializationException', message: (error as Error).message })
  }
  try {
    reply(response, 200, await registry.invoke(op, input as never))
  } catch (error) {
    if (error instanceof CloudmapError && error.kind === 'service') return reply(response, error.httpStatus, { __type: error.code, message: error.message })
    throw error
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = encode(body)
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

/** JSON with the protocol's types: Date -> epoch seconds (millisecond precision), bigint -> digits. */
function encode(value: unknown): string {
  const placeholders: string[] = []
  const json = JSON.stringify(value ?? {}, function (key, v: unknown) {
    const raw = (this as Record<string, unknown>)[key]
    if (raw instanceof Date) return raw.getTime() / 1000
    if (typeof v === 'bigint') {
      placeholders.push(v.toString())
      return `\u0000${placeholders.length - 1}\u0000`
    }
    if (v instanceof Map) return Object.fromEntries(v)
    return v
  })
  return json.replace(/"\\u0000(\d+)\\u0000"/g, (_m, i: string) => placeholders[Number(i)])
}
