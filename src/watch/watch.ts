import { spawn } from 'node:child_process'
import type { Settings } from '../cli/settings.js'
import { describeError } from '../cli/report-error.js'
import type { ChangeFeed } from '../feed/feed.js'
import type { DiscoverInstancesRequest, DiscoverInstancesResponse, HttpInstanceSummary } from '../model/api-types.js'
import { formatJson } from '../output/json.js'
import { normalizeOutput } from '../output/normalize.js'
import { createRegistry } from '../registry/create-registry.js'
import type { Registry } from '../registry/registry.js'
import type { InstanceSet } from './events.js'
import { attributesText, diffInstances, eventText, instanceSet, jsonLine } from './events.js'

export interface WatchOptions {
  settings: Settings
  request: DiscoverInstancesRequest
  output: 'json' | 'text'
  /** Remote endpoints: time between DiscoverInstancesRevision polls. */
  intervalMs: number
  exec?: string
  timeoutMs?: number
  untilCount?: number
}

export interface WatchIo {
  out(text: string): void
  err(text: string): void
  /** stdout is a terminal: the current set is drawn as a table. */
  tty: boolean
}

/** Exit code when --timeout ends a watch that was waiting for --until-count events (as timeout(1)). */
export const TIMED_OUT = 124

/**
 * `cloudmap watch`: the current instances, then one event per change until --timeout, --until-count or
 * a signal. Woken by the one change feed (the registry file's notifications locally, a poll of
 * DiscoverInstancesRevision remotely); each wake-up is one DiscoverInstances compared with the last.
 * Wake-ups while a refresh or an --exec handler runs are coalesced into one refresh after it.
 */
export async function runWatch(options: WatchOptions, io: WatchIo): Promise<number> {
  const registry = await createRegistry(options.settings)
  const discover = async () => registry.invoke('DiscoverInstances', options.request)
  let feed: ChangeFeed | undefined
  let first: DiscoverInstancesResponse
  try {
    // Locally the feed starts before the first read, so no write falls between the two.
    if (!options.settings.remote) feed = await localFeed(registry)
    first = await discover()
  } catch (error) {
    feed?.close()
    await registry.close()
    const { stderr, exitCode } = describeError(error, 'DiscoverInstances')
    io.err(stderr)
    return exitCode
  }
  if (options.settings.remote) {
    const { RevisionFeed } = await import('../feed/revision-feed.js')
    const { NamespaceName, ServiceName, OwnerAccount } = options.request
    feed = new RevisionFeed(registry, { NamespaceName, ServiceName, OwnerAccount }, { intervalMs: options.intervalMs, from: first.InstancesRevision, persistent: true })
  }
  io.out(await currentText(options, first, io.tty))
  return watchChanges(options, io, registry, feed as ChangeFeed, discover, first)
}

async function localFeed(registry: Registry): Promise<ChangeFeed> {
  const { LocalFileFeed } = await import('../feed/local-file-feed.js')
  const local = registry as import('../backends/local/local-registry.js').LocalRegistry
  return new LocalFileFeed({ main: local.path, stamp: () => local.stamp() }, { persistent: true })
}

function watchChanges(options: WatchOptions, io: WatchIo, registry: Registry, feed: ChangeFeed, discover: () => Promise<DiscoverInstancesResponse>, first: DiscoverInstancesResponse): Promise<number> {
  return new Promise<number>((resolve) => {
    let current: InstanceSet = instanceSet(first.Instances)
    let busy = false
    let pending = false
    let done = false
    let count = 0
    let failing = false
    let timer: NodeJS.Timeout | undefined

    const finish = (code: number) => {
      if (done) return
      done = true
      if (timer) clearTimeout(timer)
      feed.close()
      void registry.close().finally(() => resolve(code))
    }

    /** A failure is said once, not at every wake-up or damaged write, until reads work again. */
    const fail = (error: unknown, what: string, operation: string) => {
      if (failing) return
      failing = true
      io.err(`cloudmap watch: ${what}: ${describeError(error, operation).stderr.trim().replace(/^cloudmap: \[ERROR\]: /, '')}\ncloudmap watch: still watching; changes are reported once the registry answers again\n`)
    }

    const refresh = async () => {
      if (busy) {
        pending = true
        return
      }
      busy = true
      do {
        pending = false
        let answer: DiscoverInstancesResponse
        try {
          answer = await discover()
        } catch (error) {
          fail(error, 'DiscoverInstances failed', 'DiscoverInstances')
          continue
        }
        if (done) break
        if (failing) {
          io.err('cloudmap watch: the registry answers again\n')
          failing = false
        }
        const next = instanceSet(answer.Instances)
        const events = diffInstances(current, next, answer.InstancesRevision ?? 0n)
        current = next
        if (events.length === 0) continue
        const limit = options.untilCount === undefined ? events.length : Math.min(events.length, options.untilCount - count)
        for (const event of events.slice(0, limit)) io.out(options.output === 'json' ? jsonLine(event) : `${eventText(event)}\n`)
        count += limit
        if (options.exec !== undefined) await runHandler(options.exec, answer, io)
        if (options.untilCount !== undefined && count >= options.untilCount) finish(0)
      } while (pending && !done)
      busy = false
    }

    feed.subscribe(() => void refresh())
    feed.onError((error) => fail(error, 'cannot tell changes', 'DiscoverInstancesRevision'))
    if (options.timeoutMs !== undefined) timer = setTimeout(() => finish(options.untilCount === undefined ? 0 : TIMED_OUT), options.timeoutMs)
  })
}

/**
 * --exec: the handler gets the discover-instances output as the AWS CLI prints it (JSON) on its
 * standard input, and watch waits for it to exit (Consul's watch handlers work the same way).
 */
function runHandler(command: string, answer: DiscoverInstancesResponse, io: WatchIo): Promise<void> {
  const input = formatJson(normalizeOutput(answer, 'DiscoverInstancesResponse'))
  return new Promise<void>((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'] })
    child.stdin.on('error', () => {}) // a handler that does not read its input closes the pipe early
    child.stdin.end(input)
    child.once('error', (error) => {
      io.err(`cloudmap watch: --exec could not start: ${error.message}\n`)
      resolve()
    })
    child.once('exit', (code, signal) => {
      if (code !== 0) io.err(`cloudmap watch: --exec handler ${signal === null ? `exited with ${code}` : `was killed by ${signal}`}\n`)
      resolve()
    })
  })
}

function sortedInstances(response: DiscoverInstancesResponse): HttpInstanceSummary[] {
  return [...(response.Instances ?? [])].sort((a, b) => ((a.InstanceId ?? '') < (b.InstanceId ?? '') ? -1 : 1))
}

/** The first thing printed: the instances DiscoverInstances returns now. */
async function currentText(options: WatchOptions, response: DiscoverInstancesResponse, tty: boolean): Promise<string> {
  const { NamespaceName, ServiceName } = options.request
  const instances = sortedInstances(response)
  const revision = response.InstancesRevision ?? 0n
  if (options.output === 'json') {
    return jsonLine({ event: 'current', NamespaceName, ServiceName, InstancesRevision: revision, Instances: instances.map((i) => normalizeOutput(i, 'HttpInstanceSummary')) })
  }
  const head = `${ServiceName} in ${NamespaceName}: ${instances.length} instance${instances.length === 1 ? '' : 's'} (revision ${revision})\n`
  if (!tty) return head + instances.map((i) => `  ${i.InstanceId} ${i.HealthStatus ?? ''} ${attributesText(i.Attributes)}`.trimEnd() + '\n').join('')
  if (instances.length === 0) return head
  const { default: Table } = await import('cli-table3')
  const table = new Table({ head: ['InstanceId', 'HealthStatus', 'Attributes'], style: { head: [], border: [] } })
  for (const i of instances) table.push([i.InstanceId ?? '', i.HealthStatus ?? '', Object.entries(i.Attributes ?? {}).map(([k, v]) => `${k}=${v}`).join('\n')])
  return `${head}${table.toString()}\n`
}

