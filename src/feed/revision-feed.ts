import type { Registry } from '../registry/registry.js'
import type { ChangeFeed } from './feed.js'
import { Listeners } from './feed.js'

export interface RevisionFeedOptions {
  /** Time between two polls (the next poll starts this long after the previous answer). */
  intervalMs: number
  /** The revision the subscriber has already seen (from its own DiscoverInstances): a different one is a change. */
  from?: bigint | string
  /** Keep the process alive while polling (cloudmap watch); serve's views leave it false. */
  persistent?: boolean
}

/**
 * A remote endpoint's change feed for one service: DiscoverInstancesRevision, the call AWS provides
 * for exactly this ("compare with the revision you have, call DiscoverInstances only when it moved"),
 * asked every interval. AWS increments InstancesRevision when an instance is registered, deregistered
 * or re-registered with other attributes; a custom or Route 53 health change does not move it, so
 * this feed does not see health changes (README, "Watching for changes").
 *
 * An endpoint that fails is reported once through onError (not at every poll), polling goes on, and
 * the first answer after a failure is announced as a change, so subscribers re-read.
 */
export class RevisionFeed implements ChangeFeed {
  private readonly changes = new Listeners<[]>()
  private readonly errors = new Listeners<[Error]>()
  private last: string | undefined
  private failing = false
  private timer: NodeJS.Timeout | undefined
  private closed = false

  constructor(
    private readonly registry: Registry,
    private readonly target: { NamespaceName: string; ServiceName: string; OwnerAccount?: string },
    private readonly options: RevisionFeedOptions,
  ) {
    this.last = options.from === undefined ? undefined : String(options.from)
    this.schedule()
  }

  subscribe(listener: () => void): () => void {
    return this.changes.add(listener)
  }

  onError(listener: (error: Error) => void): () => void {
    return this.errors.add(listener)
  }

  private schedule(): void {
    if (this.closed) return
    this.timer = setTimeout(() => void this.poll(), this.options.intervalMs)
    if (this.options.persistent !== true) this.timer.unref()
  }

  private async poll(): Promise<void> {
    try {
      const { InstancesRevision } = await this.registry.invoke('DiscoverInstancesRevision', { ...this.target })
      if (this.closed) return
      const revision = String(InstancesRevision)
      const recovered = this.failing
      this.failing = false
      const moved = this.last !== undefined && revision !== this.last
      this.last = revision
      if (moved || recovered) this.changes.emit()
    } catch (error) {
      if (this.closed) return
      if (!this.failing) this.errors.emit(error as Error)
      this.failing = true
    }
    this.schedule()
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
  }
}
