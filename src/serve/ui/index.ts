import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { CloudmapError } from '../../registry/errors.js'
import type { HttpFace } from '../api/http.js'
import { readRawRequest } from '../api/http.js'
import type { RequestGate } from '../api/json11.js'
import { isWireError } from '../api/json11.js'
import type { WireError } from '../api/wire.js'
import { encodeJson } from '../../output/wire-json.js'
import type { FaceContext, StartedFace } from '../faces.js'
import type { ProbeReport } from '../health/index.js'

/**
 * The dashboard's files, by the exact path the browser asks for. Nothing is ever looked up from the URL
 * on disk: a path not in this table (`/ui/../registry.json`, `/ui/%2e%2e/…`, `/ui/app.js.map`) is 404,
 * so no request can read any other file. The files are built by scripts/build-ui.mjs into dist/ui/.
 */
const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  '/ui/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/ui/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/ui/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/ui/icon.svg': { file: 'icon.svg', type: 'image/svg+xml' },
}

/** The change stream: "something changed", never what (the page re-reads through the signed API). */
const EVENTS_PATH = '/ui/events'
/**
 * The health prober's last results for one service (they are not in the Cloud Map API): a POST signed
 * like an API call, answered only to a caller allowed GetInstancesHealthStatus on that service.
 */
const PROBES_PATH = '/ui/probes'
const MAX_PROBES_BODY = 4096

/**
 * Scripts, styles and connections only from this origin (no inline script, no eval, no CDN); the page
 * can't be framed (clickjacking) or post forms anywhere.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-cache',
}

export interface UiOptions {
  /** Folder of the built files (default: the package's dist/ui/, next to this module's build). */
  assetsDir?: URL
  /** Most change streams open at once; more are answered 503 (a server never falls over). */
  maxStreams?: number
  /** The access control in front of the API, when it is on (serve/auth). */
  gate?: () => RequestGate | undefined
  /** The health prober's reports, when it runs (serve/health). */
  probes?: () => ProbeReport[]
}

/** Where the build puts the dashboard: dist/ui/, reached the same way from src/serve/ui/ and dist/serve/ui/. */
const DEFAULT_ASSETS = new URL('../../../dist/ui/', import.meta.url)

/**
 * serve's ui face: the dashboard at `/ui/` on the API's port. The page reads the registry through the
 * Cloud Map API itself (signed like any client when access control is on), so it sees exactly what the
 * caller's key may see; this face only serves its own static files and a stream of "changed" events fed
 * by the live view. The live view is opened when the first page connects: while nobody looks at the
 * dashboard it costs the API nothing.
 */
export async function startUi(context: FaceContext, options: UiOptions = {}): Promise<StartedFace> {
  const files = loadAssets(options.assetsDir ?? DEFAULT_ASSETS)
  const streams = new Set<ServerResponse>()
  const maxStreams = options.maxStreams ?? 64
  let watching: Promise<() => void> | undefined

  const watch = () =>
    (watching ??= context.view().then((view) => {
      const stopChanges = view.subscribe(() => {
        for (const stream of streams) stream.write('event: change\ndata: changed\n\n')
      })
      const stopErrors = view.onError((error) => context.log(`cloudmap serve: dashboard: the registry can't be read (${error.message}); showing the last good state`))
      return () => {
        stopChanges()
        stopErrors()
      }
    }))

  const openStream = (response: ServerResponse) => {
    if (streams.size >= maxStreams) return sendText(response, 503, `Too many dashboard connections (at most ${maxStreams}).`, { 'retry-after': '5' })
    // connection: close: when serve stops and ends the stream, the socket goes with it.
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'close' })
    // retry: the browser reconnects after a second when serve restarts; the page re-reads on every (re)connect.
    response.write('retry: 1000\n\n')
    streams.add(response)
    // The response closes when the page goes away (the request's own 'close' only means its body was read).
    response.once('close', () => streams.delete(response))
    watch().then(
      () => response.writableEnded || response.write('event: ready\ndata: ready\n\n'),
      (error: unknown) => {
        // The registry could not be read: this stream ends (the browser retries), and the next one tries again.
        watching = undefined
        context.log(`cloudmap serve: dashboard: ${error instanceof Error ? error.message : String(error)}`)
        response.end()
      },
    )
  }

  const http: HttpFace = {
    handles: (request) => {
      const url = request.url ?? ''
      return url === '/ui' || url.startsWith('/ui/') || url.startsWith('/ui?')
    },
    answer: (request, response) => {
      const path = (request.url ?? '').split('?')[0]
      if (path === PROBES_PATH && request.method === 'POST') return void answerProbes(request, response, options).catch(() => response.destroy())
      request.resume()
      if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'The dashboard only answers GET.', { allow: 'GET, HEAD' })
      if (path === '/ui') return sendText(response, 308, 'See /ui/', { location: '/ui/' })
      if (path === EVENTS_PATH && request.method === 'GET') return openStream(response)
      const asset = files.get(path)
      if (!asset) return sendText(response, 404, 'Not found.')
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type, 'content-length': asset.body.length })
      response.end(request.method === 'HEAD' ? undefined : asset.body)
    },
    stop: () => {
      for (const stream of streams) stream.end()
      streams.clear()
    },
  }

  return {
    http,
    running: {
      // Its streams were ended by serve's shutdown (http.stop); what is left is its subscription to the view.
      close: async () => {
        if (watching) (await watching.catch(() => () => {}))()
      },
    },
    announce: ['Dashboard: /ui/ on the same address (read-only; --no-ui turns it off)'],
  }
}

/**
 * `POST /ui/probes` `{"ServiceId": …}` → `{"Probing": bool, "Probes": [{InstanceId, Target, Status, Last?}]}`.
 * With access control on, the request is checked exactly as an API call is (signature first, then IAM
 * for servicediscovery:GetInstancesHealthStatus on the service), so a key sees probe results only where
 * it may see health.
 */
async function answerProbes(request: IncomingMessage, response: ServerResponse, options: UiOptions): Promise<void> {
  const raw = await readRawRequest(request, MAX_PROBES_BODY)
  if (raw === undefined) {
    response.setHeader('connection', 'close')
    return sendJson(response, { status: 413, type: 'SerializationException', message: `The request body is larger than ${MAX_PROBES_BODY} bytes.` })
  }
  const { body } = raw
  const gate = options.gate?.()
  const principal = gate ? await gate.authenticate(raw) : undefined
  if (isWireError(principal)) return sendJson(response, principal)
  let serviceId: unknown
  try {
    serviceId = (JSON.parse(body.toString('utf8') || '{}') as { ServiceId?: unknown }).ServiceId
  } catch {
    return sendJson(response, { status: 400, type: 'SerializationException', message: 'The request body must be a JSON object.' })
  }
  if (typeof serviceId !== 'string' || serviceId === '') return sendJson(response, { status: 400, type: 'InvalidInput', message: 'ServiceId is required.' })
  if (gate && principal) {
    const denied = await gate.authorize(principal, 'GetInstancesHealthStatus', { ServiceId: serviceId })
    if (denied) return sendJson(response, denied)
  }
  const probes = (options.probes?.() ?? [])
    .filter((p) => p.serviceId === serviceId)
    .map((p) => ({ InstanceId: p.instanceId, Target: p.target, Status: p.status, ...(p.last ? { Last: { Healthy: p.last.healthy, Detail: p.last.detail, At: p.last.at } } : {}) }))
  sendJson(response, { status: 200, body: { Probing: options.probes !== undefined, Probes: probes } })
}

function sendJson(response: ServerResponse, answer: WireError | { status: 200; body: unknown }): void {
  const text = encodeJson('body' in answer ? answer.body : { __type: answer.type, message: answer.message })
  response.writeHead(answer.status, { ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

function loadAssets(dir: URL): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>()
  for (const [path, { file, type }] of Object.entries(ASSETS)) {
    try {
      files.set(path, { body: readFileSync(new URL(file, dir)), type })
    } catch {
      throw new CloudmapError('other', `cloudmap serve: the dashboard's files are missing (${fileURLToPath(new URL(file, dir))}); run \`npm run build\`, or start with --no-ui.`)
    }
  }
  return files
}

function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}
