/**
 * "The registry changed": one signal that serve's views (DNS, health schedule, dashboard) and
 * `cloudmap watch` all subscribe to, whatever the backend. The local registry announces its writes
 * through the file system (local-file-feed.ts); a remote endpoint is asked for a service's
 * DiscoverInstancesRevision (revision-feed.ts). Subscribers then read what they need: a feed carries no data.
 */
export interface ChangeFeed {
  /** Call listener after each change (several changes close together may make one call). Returns the unsubscribe. */
  subscribe(listener: () => void): () => void
  /** Called when the feed can no longer tell changes (the registry's folder went away, the endpoint failed). */
  onError(listener: (error: Error) => void): () => void
  close(): void
}

/** Listeners of a feed, called in order; a listener that throws does not stop the others. */
export class Listeners<T extends unknown[]> {
  private readonly listeners = new Set<(...args: T) => void>()

  add(listener: (...args: T) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(...args: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args)
      } catch (error) {
        process.emitWarning(error as Error)
      }
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
