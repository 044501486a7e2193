import { statSync } from 'node:fs'
import type { LocalRegistry } from '../backends/local/local-registry.js'
import type { InstanceRecord, NamespaceRecord, RegistryState, ServiceRecord } from '../backends/local/state.js'
import type { ChangeFeed } from '../feed/feed.js'
import { Listeners } from '../feed/feed.js'

/** The whole registry as serve's faces see it: namespaces, services and every service's instances. */
export interface LiveState {
  namespaces: Readonly<Record<string, NamespaceRecord>>
  services: Readonly<Record<string, ServiceRecord>>
  /** service id -> instance id -> instance (a service without instances has an empty record). */
  instances: ReadonlyMap<string, Readonly<Record<string, InstanceRecord>>>
}

/** One difference between two states of the registry. */
export type LiveEvent =
  | { kind: 'namespace'; change: Change; namespace: NamespaceRecord }
  | { kind: 'service'; change: Change; service: ServiceRecord }
  | { kind: 'instance'; change: Change; service: ServiceRecord; instance: InstanceRecord; previous?: InstanceRecord }

export type Change = 'added' | 'removed' | 'changed'

const EMPTY: LiveState = { namespaces: {}, services: {}, instances: new Map() }

/**
 * While changes keep coming, the view is read again at most this often: DNS answers, the health-check
 * schedule and the dashboard follow a stream of writes within a tenth of a second.
 */
const REFRESH_INTERVAL_MS = 100

/**
 * serve's in-memory copy of the whole registry, kept current by the change feed: after each change it
 * reads the registry file and only the shards that changed (a service's shard stamp or InstancesRevision
 * moved), then tells subscribers what differs. DNS answers, the health-check schedule and the dashboard
 * read `state` and subscribe here; none of them polls.
 *
 * Refreshes never overlap: changes that arrive during one are folded into the next, which starts at
 * once, or REFRESH_INTERVAL_MS after the last one while changes keep coming (a stream of writes). A
 * registry that can't be read (damaged by hand) is reported to onError and the last good state is kept,
 * so DNS keeps answering; the next change that makes it readable again recovers.
 */
export class LiveView {
  private current: LiveState = EMPTY
  private readonly shardStamps = new Map<string, string>()
  private readonly changes = new Listeners<[LiveEvent[], LiveState]>()
  private readonly errors = new Listeners<[Error]>()
  private running: Promise<void> | undefined
  private again = false
  private readonly unsubscribe: () => void

  private constructor(
    private readonly registry: LocalRegistry,
    feed: ChangeFeed,
  ) {
    this.unsubscribe = feed.subscribe(() => void this.refresh())
  }

  /** A view of the registry, read once before it is returned. */
  static async open(registry: LocalRegistry, feed: ChangeFeed): Promise<LiveView> {
    const view = new LiveView(registry, feed)
    await view.refresh()
    return view
  }

  get state(): LiveState {
    return this.current
  }

  /** listener(events, state) after every refresh that changed something. */
  subscribe(listener: (events: LiveEvent[], state: LiveState) => void): () => void {
    return this.changes.add(listener)
  }

  onError(listener: (error: Error) => void): () => void {
    return this.errors.add(listener)
  }

  /** Read what changed now; resolves when the view reflects the registry as it was at the call (or later). */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      do {
        this.again = false
        // A stream of writes: let more of them gather before reading again. Each refresh reads the registry
        // file and the changed shards; one per commit took 40% of serve's write rate.
        const wait = this.lastLoad + REFRESH_INTERVAL_MS - performance.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref())
        if (this.closed) return
        this.lastLoad = performance.now()
        await this.load()
      } while (this.again && !this.closed)
    })().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async load(): Promise<void> {
    let next: { state: LiveState; stamps: Map<string, string> }
    try {
      next = await this.registry.readState((state) => this.read(state))
    } catch (error) {
      this.errors.emit(error as Error)
      return
    }
    const events = diff(this.current, next.state)
    this.current = next.state
    this.shardStamps.clear()
    for (const [id, stamp] of next.stamps) this.shardStamps.set(id, stamp)
    if (events.length > 0) this.changes.emit(events, this.current)
  }

  /** The new state: unchanged services keep their instance records (and the same objects). */
  private read(state: RegistryState): { state: LiveState; stamps: Map<string, string> } {
    const instances = new Map<string, Readonly<Record<string, InstanceRecord>>>()
    const stamps = new Map<string, string>()
    for (const [id, service] of Object.entries(state.services)) {
      const info = statSync(this.registry.shardFile(id), { bigint: true, throwIfNoEntry: false })
      const stamp = info ? `${info.ino}:${info.size}:${info.mtimeNs}:${service.InstancesRevision}` : `none:${service.InstancesRevision}`
      stamps.set(id, stamp)
      const known = this.current.instances.get(id)
      instances.set(id, known !== undefined && this.shardStamps.get(id) === stamp ? known : { ...state.instances.of(id) })
    }
    return { state: { namespaces: { ...state.namespaces }, services: { ...state.services }, instances }, stamps }
  }

  private closed = false
  /** When the last refresh started (performance.now()). */
  private lastLoad = -Infinity

  close(): void {
    this.closed = true
    this.unsubscribe()
  }
}

/**
 * Whether two records read from the registry's JSON are equal, keys in the same order (as comparing their
 * JSON would say), leaving out the `ignored` keys at the top. A refresh compares every service: writing
 * both as JSON was 5% of serve's CPU profile while 40,000 instances were loaded through it.
 */
function same(a: unknown, b: unknown, ignored?: ReadonlySet<string>): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false
  const keep = (key: string) => !ignored?.has(key)
  const keysA = Object.keys(a).filter(keep)
  const keysB = Object.keys(b).filter(keep)
  if (keysA.length !== keysB.length) return false
  return keysA.every((key, i) => key === keysB[i] && same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}

/** A service's counters change with its instances: a service event is for a change of its own settings. */
const INSTANCE_COUNTERS: ReadonlySet<string> = new Set(['InstancesRevision', 'InstanceCount'])

/** What differs from one state to the next, parents before children when added, children first when removed. */
export function diff(before: LiveState, after: LiveState): LiveEvent[] {
  const events: LiveEvent[] = []
  const removed: LiveEvent[] = []
  for (const [id, namespace] of Object.entries(after.namespaces)) {
    const old = before.namespaces[id]
    if (!old) events.push({ kind: 'namespace', change: 'added', namespace })
    else if (!same(old, namespace)) events.push({ kind: 'namespace', change: 'changed', namespace })
  }
  for (const [id, service] of Object.entries(after.services)) {
    const old = before.services[id]
    if (!old) events.push({ kind: 'service', change: 'added', service })
    else if (!same(old, service, INSTANCE_COUNTERS)) events.push({ kind: 'service', change: 'changed', service })
    const then = before.instances.get(id) ?? {}
    const now = after.instances.get(id) ?? {}
    if (then === now) continue
    for (const [instanceId, instance] of Object.entries(now)) {
      const previous = then[instanceId]
      if (!previous) events.push({ kind: 'instance', change: 'added', service, instance })
      else if (!same(previous, instance)) events.push({ kind: 'instance', change: 'changed', service, instance, previous })
    }
    for (const [instanceId, instance] of Object.entries(then)) if (!Object.hasOwn(now, instanceId)) removed.push({ kind: 'instance', change: 'removed', service, instance })
  }
  for (const [id, service] of Object.entries(before.services)) {
    if (Object.hasOwn(after.services, id)) continue
    for (const instance of Object.values(before.instances.get(id) ?? {})) removed.push({ kind: 'instance', change: 'removed', service, instance })
    removed.push({ kind: 'service', change: 'removed', service })
  }
  for (const [id, namespace] of Object.entries(before.namespaces)) if (!Object.hasOwn(after.namespaces, id)) removed.push({ kind: 'namespace', change: 'removed', namespace })
  return [...events, ...removed]
}
