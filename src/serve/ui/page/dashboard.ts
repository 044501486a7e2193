import type { Credentials } from './api.js'
import { ApiError, CloudMapClient, serverRegion, storedKey, storeKey } from './api.js'
import type { Snapshot } from './snapshot.js'
import { loadSnapshot } from './snapshot.js'

export type Phase = 'starting' | 'ready' | 'needs-key' | 'failed'
export type Link = 'connecting' | 'live' | 'reconnecting'

/** Everything the page shows, kept outside the view so the view is a function of it. */
export interface DashboardState {
  phase: Phase
  link: Link
  snapshot?: Snapshot
  /** Why the last read failed (the last good snapshot stays on screen). */
  error?: string
  /** The key was refused (wrong key, wrong secret) rather than missing. */
  keyError?: string
  signedIn: boolean
  updatedAt?: Date
  /** Completed reads, for people and tests waiting for the next one. */
  loads: number
}

const STREAM = '/ui/events'
/** When the change stream is refused (serve busy or restarting), try again after this long. */
const STREAM_RETRY_MS = 5_000

/**
 * The page's logic: read the registry through the API, re-read when serve's change stream says something
 * changed (never more than one read at a time: changes during a read cause one more read after it), and
 * ask for a key when the API wants a signature.
 */
export class Dashboard {
  state: DashboardState = { phase: 'starting', link: 'connecting', signedIn: false, loads: 0 }
  private client: CloudMapClient | undefined
  private reading = false
  private again = false
  private readonly listeners = new Set<(state: DashboardState) => void>()

  onChange(listener: (state: DashboardState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async start(): Promise<void> {
    try {
      const key = storedKey()
      this.client = new CloudMapClient(await serverRegion(), key)
      this.set({ signedIn: key !== undefined })
    } catch (error) {
      this.set({ phase: 'failed', error: `cloudmap serve can't be reached: ${(error as Error).message}` })
    }
    // The first read comes with the stream's "ready" (sent once serve follows changes for this page), so
    // nothing is read twice; a stream serve refuses gets one read below instead.
    this.listen()
  }

  signIn(credentials: Credentials): Promise<void> {
    storeKey(credentials)
    this.client?.useKey(credentials)
    this.set({ signedIn: true, keyError: undefined })
    return this.refresh()
  }

  signOut(): Promise<void> {
    storeKey(undefined)
    this.client?.useKey(undefined)
    this.set({ signedIn: false, snapshot: undefined, keyError: undefined })
    return this.refresh()
  }

  /** Read the registry now, or once more after the read in progress. */
  async refresh(): Promise<void> {
    if (this.reading) {
      this.again = true
      return
    }
    this.reading = true
    try {
      do {
        this.again = false
        await this.read()
      } while (this.again)
    } finally {
      this.reading = false
    }
  }

  private async read(): Promise<void> {
    const client = this.client
    if (!client) return
    try {
      const snapshot = await loadSnapshot(client)
      this.set({ phase: 'ready', snapshot, error: undefined, keyError: undefined, updatedAt: new Date(), loads: this.state.loads + 1 })
    } catch (error) {
      if (error instanceof ApiError && error.needsKey) {
        // No key yet: ask for one. A key was given and refused: say why, and ask again.
        this.set({ phase: 'needs-key', snapshot: undefined, keyError: client.signed ? `${error.type}: ${error.message}` : undefined, loads: this.state.loads + 1 })
        return
      }
      const message = error instanceof ApiError ? (error.denied ? `Your key may not list namespaces (servicediscovery:ListNamespaces): ${error.message}` : `${error.type}: ${error.message}`) : `cloudmap serve can't be reached: ${(error as Error).message}`
      this.set({ phase: this.state.snapshot ? 'ready' : 'failed', error: message, loads: this.state.loads + 1 })
    }
  }

  /** serve's change stream: each event only says "changed"; the page then re-reads through the API. */
  private listen(): void {
    const stream = new EventSource(STREAM)
    stream.addEventListener('ready', () => {
      // (Re)connected: changes made while disconnected are read now.
      this.set({ link: 'live' })
      void this.refresh()
    })
    stream.addEventListener('change', () => void this.refresh())
    stream.addEventListener('error', () => {
      this.set({ link: 'reconnecting' })
      // The browser retries by itself unless serve refused the stream (503): then try again later, and
      // show the registry meanwhile.
      if (stream.readyState === EventSource.CLOSED) setTimeout(() => this.listen(), STREAM_RETRY_MS)
      if (!this.state.snapshot) void this.refresh()
    })
  }

  private set(change: Partial<DashboardState>): void {
    this.state = { ...this.state, ...change }
    for (const listener of this.listeners) listener(this.state)
  }
}
