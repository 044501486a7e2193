import type { LocalRegistry } from '../backends/local/local-registry.js'
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
  /** A line for the operator, on stderr. */
  log(line: string): void
  now(): Date
}

/** A face that runs beside the API (DNS listeners, the health prober) and stops with serve. */
export interface RunningFace {
  close(): Promise<void>
}
