import { randomUUID } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { Registry } from '../../registry/registry.js'
import type { RawRequest, RequestGate } from './json11.js'
import { answerApiCall } from './json11.js'
import { encodeJson } from '../../output/wire-json.js'

/** A face that answers some HTTP paths itself (the dashboard under /ui/). */
export interface HttpFace {
  /** Whether this face answers the request (it then writes the whole response). */
  handles(request: IncomingMessage): boolean
  answer(request: IncomingMessage, response: ServerResponse): void
  /** End its long-lived responses (event streams) so that the server can close. */
  stop?(): void
}

export interface ApiServerOptions {
  registry: Registry
  gate?: RequestGate
  faces?: HttpFace[]
  /** What `GET /` reports (container health checks). */
  status: () => Record<string, unknown>
  /** Largest request body accepted, in bytes (default 1 MiB; AWS's JSON APIs refuse larger ones). */
  maxBodyBytes?: number
  /** A client must send its headers within this time, and the whole request within requestTimeoutMs (slow clients). */
  headersTimeoutMs?: number
  requestTimeoutMs?: number
}

const MiB = 1024 * 1024

/**
 * serve's HTTP front: the Cloud Map API (`POST /`), a status document (`GET /`) and the faces that own
 * paths of their own. Whatever a client sends, it gets an answer or its connection is closed; nothing it
 * sends can stop the server: bodies are capped, slow clients are timed out, every error becomes a JSON
 * error body. Every API answer carries `x-amzn-RequestId` (SDKs report it as the request id) and a
 * `Date` header (the JS SDK corrects its clock skew from it; node:http sends it).
 */
export function createApiServer(options: ApiServerOptions): Server {
  const maxBody = options.maxBodyBytes ?? MiB
  const headersTimeout = options.headersTimeoutMs ?? 10_000
  const requestTimeout = options.requestTimeoutMs ?? 30_000
  // Node looks for expired requests every connectionsCheckingInterval (30 s by default): often enough
  // here that a slow client is cut close to its limit.
  const connectionsCheckingInterval = Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4)))
  const server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval, keepAliveTimeout: 5_000 }, (request, response) => {
    route(options, maxBody, request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) })
      else response.destroy()
    })
  })
  // A client that sends garbage instead of HTTP gets 400 and is closed; it never reaches the 'error' path.
  // A slow client (headers or body not in time) gets 408 and is closed.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request'
    if (socket.writable && !socket.writableEnded) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    else socket.destroy()
  })
  return server
}

async function route(options: ApiServerOptions, maxBody: number, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const face = options.faces?.find((f) => f.handles(request))
  if (face) return face.answer(request, response)
  const path = (request.url ?? '/').split('?')[0]
  if (request.method === 'GET' && path === '/') return send(response, 200, options.status(), 'application/json')
  if (request.method !== 'POST' || path !== '/') {
    request.resume()
    return send(response, 404, { __type: 'UnknownOperationException', message: `cloudmap serve answers the Cloud Map API at POST / (got ${request.method} ${path})` })
  }
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > maxBody) return tooLarge(request, response, maxBody)
  const raw = await readRawRequest(request, maxBody)
  if (raw === undefined) return tooLarge(request, response, maxBody)
  const answer = await answerApiCall(options.registry, options.gate, raw)
  if (answer.status === 200 && 'body' in answer) send(response, 200, answer.body)
  else if ('type' in answer) send(response, answer.status, { __type: answer.type, message: answer.message })
}

/**
 * The request as access control sees it (serve/auth: the signature covers these bytes; aws:SourceIp is the
 * client's address, without an IPv4-mapped IPv6 prefix), or undefined when its body is larger than maxBody.
 */
export async function readRawRequest(request: IncomingMessage, maxBody: number): Promise<RawRequest | undefined> {
  const body = await readBody(request, maxBody)
  if (body === undefined) return undefined
  const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
  return { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body, sourceIp }
}

/**
 * The request's body, or undefined when it is larger than maxBody. Read with events rather than an async
 * iterator: this runs for every request, and the iterator's promises cost a fifth of serve's rate.
 */
function readBody(request: IncomingMessage, maxBody: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBody) chunks.push(chunk)
      else {
        request.off('data', onData)
        request.off('end', onEnd)
        resolve(undefined)
      }
    }
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))
    request.on('data', onData)
    request.on('end', onEnd)
    request.on('error', reject)
  })
}

function tooLarge(request: IncomingMessage, response: ServerResponse, maxBody: number): void {
  // Stop reading: the rest of the body is not wanted, and the connection can't be reused.
  response.setHeader('connection', 'close')
  send(response, 413, { __type: 'SerializationException', message: `The request body is larger than ${maxBody} bytes.` })
  request.socket.destroySoon?.()
}

function send(response: ServerResponse, status: number, body: unknown, contentType = 'application/x-amz-json-1.1'): void {
  const text = encodeJson(body)
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    // Date: node:http adds it to every answer (from a clock it reads once a second).
  })
  response.end(text)
}
