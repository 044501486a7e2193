import type { InstanceRecord, ServiceRecord } from '../../backends/local/state.js'
import type { FaceContext, RunningFace, StartedFace } from '../faces.js'
import type { LiveEvent, LiveState, LiveView } from '../live-view.js'
import type { ProbeResult, ProbeTarget } from './probe.js'
import { probe } from './probe.js'

export interface HealthOptions {
  /** Time between two probes of one instance (Route 53: 30 s). */
  intervalMs: number
  /** How long one probe may take before it counts as a failure. */
  timeoutMs: number
  /** Probes in flight at most; the others wait their turn. */
  concurrency: number
}

type Status = 'HEALTHY' | 'UNHEALTHY'

/** What the prober knows about one instance (for the operator and the dashboard). */
export interface ProbeReport {
  serviceId: string
  instanceId: string
  /** "HTTP 127.0.0.1:8080/health", "TCP [::1]:5432". */
  target: string
  /** The status as probed (recorded in the registry when it changes). */
  status: Status
  /** Consecutive results the other way: the status flips when this reaches the FailureThreshold. */
  streak: number
  /** The last probe's result, and when it ended (ISO-8601 UTC); absent before the first one. */
  last?: { healthy: boolean; detail: string; at: string }
}

/** The running prober: serve stops it; probes() tells what it knows. */
export interface HealthChecker extends RunningFace {
  probes(): ProbeReport[]
}

/** Route 53's FailureThreshold when none is given [R53-M]; Cloud Map's own default is not documented. */
const DEFAULT_FAILURE_THRESHOLD = 3

/**
 * serve's health face: probes every instance of every service with a Route 53 HealthCheckConfig, as
 * Route 53 would, and records a status in the registry when it changes.
 */
export async function startHealth(context: FaceContext, options: HealthOptions): Promise<StartedFace & { running: HealthChecker }> {
  const view = await context.view()
  const schedule = new HealthSchedule(context, view, options)
  const seconds = (ms: number) => `${ms / 1000} s`
  return {
    running: schedule,
    announce: [
      `health checks: Route 53 HTTP/HTTPS/TCP checks probed every ${seconds(options.intervalMs)} (timeout ${seconds(options.timeoutMs)}), ${schedule.size} instance(s) now; --no-health-checks turns them off`,
    ],
  }
}

interface Check {
  key: string
  serviceId: string
  instanceId: string
  target: ProbeTarget
  threshold: number
  /** The service's HealthCheckConfig the check was made from (JSON), to tell when UpdateService changes it. */
  config: string
  status: Status
  streak: number
  last?: ProbeReport['last']
  timer?: NodeJS.Timeout
  /** Waiting in the queue or probing: a tick that finds it busy skips (a hanging target gets no pile-up). */
  busy: boolean
}

interface StatusChange {
  serviceId: string
  instanceId: string
  target: string
  status: Status
  at: string
}

/** The probe target of an instance, or undefined when Route 53 would not check it. */
function targetOf(service: ServiceRecord, instance: InstanceRecord): ProbeTarget | undefined {
  const config = service.HealthCheckConfig
  if (!config) return undefined
  const attributes = instance.Attributes
  // "If you include HealthCheckConfig and then use the service to register an instance that creates an
  // alias record, Route 53 doesn't create the health check" (HealthCheckConfig).
  if (attributes.AWS_ALIAS_DNS_NAME !== undefined) return undefined
  // "With A and AAAA, Cloud Map creates a health check that uses the IPv4 address" (HealthCheckConfig).
  const address = attributes.AWS_INSTANCE_IPV4 ?? attributes.AWS_INSTANCE_IPV6
  const port = attributes.AWS_INSTANCE_PORT
  // AWS_EC2_INSTANCE_ID: AWS fills the address from EC2, which a local registry can't.
  if (address === undefined || port === undefined) return undefined
  const path = config.Type === 'TCP' ? '' : (config.ResourcePath ?? '/')
  return { type: config.Type, address, port: Number(port), path: path === '' || path.startsWith('/') ? path : `/${path}` }
}

function describe(target: ProbeTarget): string {
  const host = target.address.includes(':') ? `[${target.address}]` : target.address
  return `${target.type} ${host}:${target.port}${target.path}`
}

/**
 * The schedule follows serve's live view: instances join and leave it as the view reports them. Each
 * instance is probed every interval (the first time at a random point of the first interval, so that
 * many instances don't all go at once); at most `concurrency` probes are in flight.
 *
 * Route 53's rule [R53-HC]: the status changes after FailureThreshold consecutive results the other way.
 * The counters are kept in memory; a status is written, through the registry's normal write path, only
 * when it changes, and changes that happen together share one write. InstancesRevision is not touched:
 * "The health status updates don't update InstancesRevision" (DiscoverInstances).
 */
class HealthSchedule implements HealthChecker {
  private readonly checks = new Map<string, Check>()
  private readonly queue: Check[] = []
  private active = 0
  private readonly pending = new Map<string, StatusChange>()
  private flushing: Promise<void> | undefined
  /** How to end each probe in flight. */
  private readonly inFlight = new Set<() => void>()
  private closed = false
  private readonly unsubscribe: () => void

  constructor(
    private readonly context: FaceContext,
    view: LiveView,
    private readonly options: HealthOptions,
  ) {
    for (const service of Object.values(view.state.services)) this.addService(service, view.state)
    this.unsubscribe = view.subscribe((events, state) => this.follow(events, state))
  }

  get size(): number {
    return this.checks.size
  }

  probes(): ProbeReport[] {
    return [...this.checks.values()].map((c) => ({
      serviceId: c.serviceId,
      instanceId: c.instanceId,
      target: describe(c.target),
      status: c.status,
      streak: c.streak,
      ...(c.last ? { last: { ...c.last } } : {}),
    }))
  }

  async close(): Promise<void> {
    this.closed = true
    this.unsubscribe()
    for (const check of this.checks.values()) clearTimeout(check.timer)
    this.checks.clear()
    this.queue.length = 0
    // Probes in flight end now; status changes already decided are still recorded.
    for (const stop of [...this.inFlight]) stop()
    await this.flushing
  }

  private follow(events: LiveEvent[], state: LiveState): void {
    if (this.closed) return
    for (const event of events) {
      if (event.kind === 'service') {
        if (event.change === 'removed') this.removeService(event.service.Id)
        else if (event.change === 'changed' && this.configChanged(event.service)) {
          // UpdateService may add, change or remove HealthCheckConfig: the service's checks start over,
          // keeping the status they have (Route 53 updates a health check in place).
          const kept = new Map([...this.checks.values()].filter((c) => c.serviceId === event.service.Id).map((c) => [c.key, c.status]))
          this.removeService(event.service.Id)
          this.addService(event.service, state, kept)
        }
      } else if (event.kind === 'instance') {
        const key = keyOf(event.service.Id, event.instance.Id)
        if (event.change === 'added') this.add(event.service, event.instance)
        else if (event.change === 'removed') this.remove(key)
        else {
          const check = this.checks.get(key)
          const target = targetOf(event.service, event.instance)
          // Registered again (other attributes, or the probed status dropped with the old record): "Cloud
          // Map deletes the old health check and creates a new one" (RegisterInstance), which starts over.
          const registeredAgain =
            JSON.stringify(event.previous?.Attributes) !== JSON.stringify(event.instance.Attributes) ||
            (event.previous?.HealthCheckStatus !== undefined && event.instance.HealthCheckStatus === undefined)
          if (!check || !target || describe(check.target) !== describe(target) || registeredAgain) this.add(event.service, event.instance)
        }
      }
    }
  }

  /** Whether the service's checks were made with another HealthCheckConfig than it has now. */
  private configChanged(service: ServiceRecord): boolean {
    const config = JSON.stringify(service.HealthCheckConfig ?? null)
    const checks = [...this.checks.values()].filter((c) => c.serviceId === service.Id)
    return checks.length === 0 ? service.HealthCheckConfig !== undefined : checks.some((c) => c.config !== config)
  }

  private addService(service: ServiceRecord, state: LiveState, kept?: Map<string, Status>): void {
    if (!service.HealthCheckConfig) return
    for (const instance of Object.values(state.instances.get(service.Id) ?? {})) this.add(service, instance, kept?.get(keyOf(service.Id, instance.Id)))
  }

  private removeService(serviceId: string): void {
    for (const check of [...this.checks.values()]) if (check.serviceId === serviceId) this.remove(check.key)
  }

  private add(service: ServiceRecord, instance: InstanceRecord, status?: Status): void {
    this.remove(keyOf(service.Id, instance.Id))
    const target = targetOf(service, instance)
    if (!target) return
    const check: Check = {
      key: keyOf(service.Id, instance.Id),
      serviceId: service.Id,
      instanceId: instance.Id,
      target,
      threshold: service.HealthCheckConfig?.FailureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
      config: JSON.stringify(service.HealthCheckConfig ?? null),
      // Where serve left off (the registry keeps the last recorded status), else healthy: a new Route 53
      // health check counts as healthy until it has data.
      status: status ?? instance.HealthCheckStatus?.Status ?? 'HEALTHY',
      streak: 0,
      busy: false,
    }
    this.checks.set(check.key, check)
    this.plan(check, Math.random() * this.options.intervalMs)
  }

  private remove(key: string): void {
    const check = this.checks.get(key)
    if (!check) return
    clearTimeout(check.timer)
    this.checks.delete(key)
  }

  private plan(check: Check, delayMs: number): void {
    check.timer = setTimeout(() => this.tick(check), delayMs)
    check.timer.unref()
  }

  private tick(check: Check): void {
    if (this.closed || this.checks.get(check.key) !== check) return
    this.plan(check, this.options.intervalMs)
    if (check.busy) return
    check.busy = true
    this.queue.push(check)
    this.pump()
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const check = this.queue.shift()!
      if (this.checks.get(check.key) !== check) continue
      this.active++
      void probe(check.target, this.options.timeoutMs, this.inFlight)
        .then((result) => this.record(check, result))
        .finally(() => {
          this.active--
          check.busy = false
          if (!this.closed) this.pump()
        })
    }
  }

  private record(check: Check, result: ProbeResult): void {
    if (this.closed || this.checks.get(check.key) !== check) return
    const at = this.context.now().toISOString()
    check.last = { healthy: result.healthy, detail: result.detail, at }
    const observed: Status = result.healthy ? 'HEALTHY' : 'UNHEALTHY'
    if (observed === check.status) {
      check.streak = 0
      return
    }
    check.streak++
    if (check.streak < check.threshold) return
    check.status = observed
    check.streak = 0
    this.context.log(`health checks: ${check.instanceId} of service ${check.serviceId} is now ${observed} (${describe(check.target)}: ${result.detail})`)
    this.pending.set(check.key, { serviceId: check.serviceId, instanceId: check.instanceId, target: describe(check.target), status: observed, at })
    this.flushSoon()
  }

  /** Write the pending changes: the ones decided while a write is in flight go together in the next one. */
  private flushSoon(): void {
    if (this.flushing) return
    this.flushing = (async () => {
      // Let results that arrive together (the same turn of the event loop) join this write.
      await new Promise((resolve) => setImmediate(resolve))
      while (this.pending.size > 0) {
        const batch = [...this.pending.values()]
        this.pending.clear()
        await this.write(batch)
      }
    })().finally(() => {
      this.flushing = undefined
    })
  }

  private async write(batch: StatusChange[]): Promise<void> {
    try {
      await this.context.registry.writeState((state) => {
        for (const change of batch) {
          const service = state.services[change.serviceId]
          if (!service) continue
          const instances = state.instances.of(service.Id)
          const instance = Object.hasOwn(instances, change.instanceId) ? instances[change.instanceId] : undefined
          // Deregistered, or registered again with another target, since the probe: that result is void.
          const target = instance && targetOf(service, instance)
          if (!instance || !target || describe(target) !== change.target) continue
          if (instance.HealthCheckStatus?.Status === change.status) continue
          instance.HealthCheckStatus = { Status: change.status, ChangedAt: change.at }
        }
      })
    } catch (error) {
      // The registry can't be written (damaged by hand, disk full): the checks go back to the status the
      // registry holds, so the change is decided, and written, again after FailureThreshold more probes.
      this.context.log(`health checks: could not record ${batch.length} status change(s): ${(error as Error).message}`)
      for (const change of batch) {
        const check = this.checks.get(keyOf(change.serviceId, change.instanceId))
        if (check && check.status === change.status) check.status = change.status === 'HEALTHY' ? 'UNHEALTHY' : 'HEALTHY'
      }
    }
  }
}

function keyOf(serviceId: string, instanceId: string): string {
  return `${serviceId}/${instanceId}`
}
