import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { LocalRegistry } from '../backends/local/local-registry.js'
import { CloudmapError } from '../registry/errors.js'
import { LocalFileFeed } from '../feed/local-file-feed.js'
import type { HttpFace } from './api/http.js'
import { createApiServer } from './api/http.js'
import type { RequestGate } from './api/json11.js'
import type { Face, FaceContext, RunningFace, StartedFace } from './faces.js'
import { LiveView } from './live-view.js'

export interface ServeOptions {
  registryPath: string
  region: string
  accountId: string
  seed?: string
  now?: () => Date
  operationDelayMs?: number
  host: string
  port: number
  /** Lines for the operator (stderr). */
  log: (line: string) => void
  /** The faces besides the API: auth, dns, health, ui (serve's flags choose them). */
  faces?: Face[]
  /** HTTP limits (tests shorten them). */
  headersTimeoutMs?: number
  requestTimeoutMs?: number
}

/** A running serve: where it listens, and how to stop it (requests in flight are finished first). */
export interface RunningServe {
  url: string
  port: number
  /** What the faces said at start (where DNS listens, whether access control is on). */
  announce: string[]
  registry: LocalRegistry
  close(): Promise<void>
}

/** How long requests in flight may take to finish once serve is asked to stop. */
const SHUTDOWN_GRACE_MS = 10_000

/**
 * serve: the faces over one LocalRegistry and one change feed, composed here and loaded only by
 * `cloudmap serve`. The API answers reads from memory (the store keeps its last view while the registry
 * file's stamp is unchanged) and batches writes in flight into one durable commit.
 */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const registry = new LocalRegistry({
    path: options.registryPath,
    region: options.region,
    accountId: options.accountId,
    seed: options.seed,
    now: options.now,
    operationDelayMs: options.operationDelayMs,
    cacheReads: true,
    checkpointWhenIdle: true,
  })
  const feed = new LocalFileFeed({ main: registry.path, stamp: () => registry.stamp() })
  let view: Promise<LiveView> | undefined
  const started = new Map<string, StartedFace>()
  const context: FaceContext = {
    registry,
    feed,
    view: () => (view ??= LiveView.open(registry, feed)),
    face: (name) => started.get(name),
    log: options.log,
    now: options.now ?? (() => new Date()),
  }
  const running: RunningFace[] = []
  const httpFaces: HttpFace[] = []
  const announce: string[] = []
  let gate: RequestGate | undefined
  const stopFaces = async () => {
    for (const face of running.reverse()) await face.close()
    if (view) (await view).close()
    feed.close()
  }
  try {
    for (const face of options.faces ?? []) {
      const result = await face.start(context)
      started.set(face.name, result)
      if (result.running) running.push(result.running)
      if (result.gate) gate = result.gate
      if (result.http) httpFaces.push(result.http)
      announce.push(...(result.announce ?? []))
    }
  } catch (error) {
    await stopFaces()
    throw error
  }

  const server = createApiServer({
    registry,
    gate,
    faces: httpFaces,
    headersTimeoutMs: options.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    status: () => ({ status: 'ok', service: 'servicediscovery', protocol: 'awsJson1_1', region: options.region }),
  })
  const port = await listen(server, options.host, options.port).catch(async (error: unknown) => {
    await stopFaces()
    throw error
  })
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`
  return {
    url,
    port,
    announce,
    registry,
    close: async () => {
      // Stop accepting, let the requests in flight finish, then stop the faces.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Connections go idle as their last request is answered: close each then. Requests still running
      // after the grace period are cut.
      server.closeIdleConnections()
      // Event streams (the dashboard's) never finish by themselves.
      for (const face of httpFaces) face.stop?.()
      const sweep = setInterval(() => server.closeIdleConnections(), 25)
      const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS)
      await closed
      clearInterval(sweep)
      clearTimeout(cut)
      await stopFaces()
      await registry.close()
    },
  }
}

/** Listen, or fail with one line that says why (no stack trace): busy port, bad address, bad port. */
function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`
      const why =
        error.code === 'EADDRINUSE'
          ? `the port is already in use (LocalStack also uses 4566); stop what uses it or choose another with --port (0 picks a free one)`
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
            ? `${host} is not an address of this machine; use --host 127.0.0.1, or 0.0.0.0 for every address`
            : error.code === 'EACCES'
              ? `permission denied (ports below 1024 need privileges)`
              : error.message
      reject(new CloudmapError('other', `cloudmap serve can't listen on ${where}: ${why}.`))
    }
    server.once('error', onError)
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      reject(new CloudmapError('other', `cloudmap serve can't listen on ${host}:${port}: a port is a number from 0 to 65535 (0 picks a free one).`))
      return
    }
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}
