import type { LocalRegistry } from '../backends/local/local-registry.js'
import type { HttpFace } from './api/http.js'
import type { RequestGate } from './api/json11.js'
import type { ChangeFeed } from '../feed/feed.js'
import type { LiveView } from './live-view.js'

/**
 * What every face of serve (api, auth, dns, health, ui) is given: the registry (the same LocalRegistry
 * the API answers from, so writes share its lock, journal and batching), the change feed, and the live
 * view of the whole registry, made on first use and shared.
 */
export interface FaceContext {
  registry: LocalRegistry
  feed: ChangeFeed
  view(): Promise<LiveView>
  /** What a face started before this one brought (the dashboard uses the auth face's gate and the prober). */
  face(name: string): StartedFace | undefined
  /** A line for the operator, on stderr. */
  log(line: string): void
  now(): Date
}

/** A face that runs beside the API (DNS listeners, the health prober) and stops with serve. */
export interface RunningFace {
  close(): Promise<void>
}

/** What a face brings to serve when it starts. */
export interface StartedFace {
  /** Access control in front of the API (auth). */
  gate?: RequestGate
  /** Paths it answers on the API's port (ui). */
  http?: HttpFace
  /** Something running beside the API that stops with serve (dns, health). */
  running?: RunningFace
  /** Lines for the operator at start: where it listens, what it does. */
  announce?: string[]
}

/**
 * A face of serve, chosen by `cloudmap serve`'s flags. Its code is imported by start(), so a face that
 * is not asked for costs nothing, and the CLI's other commands never load any.
 */
export interface Face {
  name: string
  start(context: FaceContext): Promise<StartedFace>
}
