import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import type { Settings } from '../cli/settings.js'
import { describeError } from '../cli/report-error.js'
import type { Service } from '../model/api-types.js'
import { createRegistry } from '../registry/create-registry.js'
import { CloudmapError } from '../registry/errors.js'
import { settleOperation } from '../registry/operations.js'
import type { Registry } from '../registry/registry.js'
import type { CheckSpec, ReadinessCheck } from './readiness.js'
import { describeCheck, readinessCheck } from './readiness.js'
import { OWNER_ATTRIBUTE, claimInstanceId, findService, isTransient, ownerValue } from './registration.js'

export interface RunOptions {
  settings: Settings
  namespaceName: string
  serviceName: string
  instanceId: string
  /** AWS_INSTANCE_IPV4 / AWS_INSTANCE_PORT from --ipv4 / --port, and --attributes. */
  attributes: Record<string, string>
  check?: CheckSpec
  intervalMs: number
  command: string
  args: string[]
}

export interface RunIo {
  err(text: string): void
  hostname: string
  pid: number
}

/** Registry calls that fail for a transient reason are tried again after these waits (about 8 s in all). */
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000]
/** A readiness check that has not answered in this long failed (Route 53 gives an endpoint 4 s to answer). */
const CHECK_TIMEOUT_MS = 4000
/** How long to wait for RegisterInstance / DeregisterInstance operations to finish. */
const OPERATION_TIMEOUT_MS = 60_000
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * `cloudmap run`: what the ECS agent does for a task, for any process. The registry is asked first
 * (an unreachable one means COMMAND never starts); COMMAND then runs with the terminal; the instance
 * becomes discoverable once the readiness check passes, its custom health follows the check, and it
 * is deregistered when COMMAND exits, whose exit status becomes ours.
 */
export async function runProcess(options: RunOptions, io: RunIo): Promise<number> {
  const registry = await createRegistry(options.settings)
  let service: Service
  try {
    service = await findService(registry, options.namespaceName, options.serviceName)
    const note = await claimInstanceId(registry, service.Id as string, options.instanceId, io)
    if (note !== undefined) io.err(`cloudmap run: ${note}\n`)
  } catch (error) {
    await registry.close()
    io.err(`cloudmap run: ${reason(error)}\ncloudmap run: ${options.command} was not started.\n`)
    return describeError(error, '').exitCode
  }

  const child = spawn(options.command, options.args, { stdio: 'inherit' })
  const started = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined))
    child.once('error', (error) => resolve(error))
  })
  if (started !== undefined) {
    await registry.close()
    io.err(`cloudmap run: cannot start ${options.command}: ${started.message}\n`)
    // As shells: 127 for a command not found, 126 for one that can't be executed.
    return started.code === 'ENOENT' ? 127 : 126
  }
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal === null ? (code ?? 0) : 128 + (constants.signals[signal] ?? 0)))
  })
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal)
  const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const)
  for (const [signal, handler] of handlers) process.on(signal, handler)

  const lifecycle = new InstanceLifecycle(registry, service, options, io, child)
  const running = lifecycle.run()
  const status = await exited
  const failure = await lifecycle.stop(running)
  for (const [signal, handler] of handlers) process.off(signal, handler)
  await registry.close()
  return failure ?? status
}

/** The instance's life beside COMMAND's: register, follow the check, deregister. */
class InstanceLifecycle {
  private registered = false
  private health: 'HEALTHY' | 'UNHEALTHY' | undefined
  private stopped = false
  private wake: () => void = () => {}
  private readonly stopSignal: Promise<void>
  private readonly custom: boolean
  private readonly check: ReadinessCheck | undefined
  /** Set when registering failed for good: COMMAND is stopped and this becomes the exit status. */
  private failure: number | undefined

  constructor(
    private readonly registry: Registry,
    private readonly service: Service,
    private readonly options: RunOptions,
    private readonly io: RunIo,
    private readonly child: ChildProcess,
  ) {
    this.custom = service.HealthCheckCustomConfig !== undefined
    this.check = options.check === undefined ? undefined : readinessCheck(options.check)
    this.stopSignal = new Promise<void>((resolve) => (this.wake = resolve))
  }

  private log(line: string): void {
    this.io.err(`cloudmap run: ${line}\n`)
  }

  private get where(): string {
    return `instance ${this.options.instanceId} in service ${this.service.Name} (${this.service.Id})`
  }

  async run(): Promise<void> {
    try {
      if (this.check === undefined) {
        await this.register()
        this.log(`registered ${this.where}`)
        return
      }
      const what = describeCheck(this.options.check as CheckSpec)
      if (this.custom) {
        // Custom health: in the registry at once, but UNHEALTHY (not discoverable) until the check passes.
        await this.register('UNHEALTHY')
        this.health = 'UNHEALTHY'
        this.log(`registered ${this.where} as UNHEALTHY until ${what} passes`)
      }
      while (!this.stopped) {
        const passed = await Promise.race([this.check(CHECK_TIMEOUT_MS), this.stopSignal.then(() => undefined)])
        if (passed === undefined || this.stopped) return
        if (!this.registered && passed) {
          await this.register()
          this.log(`${what} passed: registered ${this.where}`)
          // Without custom health the check is a readiness check only (Cloud Map has no way to say unhealthy).
          return
        }
        const status = passed ? 'HEALTHY' : 'UNHEALTHY'
        if (this.custom && this.registered && status !== this.health) {
          await this.retrying(() => this.registry.invoke('UpdateInstanceCustomHealthStatus', { ServiceId: this.service.Id as string, InstanceId: this.options.instanceId, Status: status }))
          this.health = status
          this.log(`${what} ${passed ? 'passed' : 'failed'}: ${this.options.instanceId} is ${status}`)
        }
        await Promise.race([sleep(this.options.intervalMs, { unref: true }), this.stopSignal])
      }
    } catch (error) {
      if (this.stopped) return
      this.log(`${reason(error)}; stopping ${this.options.command}`)
      this.failure = describeError(error, '').exitCode
      this.child.kill('SIGTERM')
    }
  }

  private async register(initialHealth?: 'UNHEALTHY'): Promise<void> {
    const attributes: Record<string, string> = { ...this.options.attributes, [OWNER_ATTRIBUTE]: ownerValue(this.io.hostname, this.io.pid) }
    if (initialHealth !== undefined) attributes.AWS_INIT_HEALTH_STATUS = initialHealth
    const { OperationId } = await this.retrying(() => this.registry.invoke('RegisterInstance', { ServiceId: this.service.Id as string, InstanceId: this.options.instanceId, Attributes: attributes }))
    // From here the instance may be in the registry: it is deregistered at the end whatever follows.
    this.registered = true
    await this.operationDone(OperationId, 'RegisterInstance')
  }

  /** RegisterInstance and DeregisterInstance are asynchronous in Cloud Map: done when GetOperation says SUCCESS. */
  private async operationDone(operationId: string | undefined, op: string): Promise<void> {
    if (operationId === undefined) return
    const getOperation = (input: { OperationId: string }) => this.retrying(() => this.registry.invoke('GetOperation', input))
    const operation = await settleOperation(getOperation, operationId, op, { timeoutMs: OPERATION_TIMEOUT_MS, intervalMs: this.options.settings.remote ? 250 : 20 })
    if (operation.Status === 'FAIL') throw new CloudmapError('service', `Operation ${operationId} failed: ${operation.ErrorMessage ?? operation.ErrorCode ?? ''}`, operation.ErrorCode ?? 'OperationFailed')
  }

  /** A registry call, tried again after a transient failure (unreachable endpoint, 5xx, throttling). */
  private async retrying<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call()
      } catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length || !isTransient(error)) throw error
        await sleep(RETRY_DELAYS_MS[attempt])
      }
    }
  }

  /** After COMMAND exited: no more checks; deregister what was registered. Returns an exit status that overrides COMMAND's. */
  async stop(running: Promise<void>): Promise<number | undefined> {
    this.stopped = true
    this.wake()
    await running
    if (!this.registered) return this.failure
    try {
      const { OperationId } = await this.retrying(() => this.registry.invoke('DeregisterInstance', { ServiceId: this.service.Id as string, InstanceId: this.options.instanceId }))
      await this.operationDone(OperationId, 'DeregisterInstance')
      this.log(`${this.options.command} exited: deregistered ${this.where}`)
    } catch (error) {
      if (error instanceof CloudmapError && error.kind === 'service' && error.code === 'InstanceNotFound') return this.failure
      this.log(`could not deregister ${this.where}: ${reason(error)}\ncloudmap run: it is still registered; remove it with: cloudmap deregister-instance --service-id ${this.service.Id} --instance-id ${this.options.instanceId}`)
    }
    return this.failure
  }
}

/** A failure in one line: a service error's code and message, or the AWS CLI's sentence for the others. */
function reason(error: unknown): string {
  if (error instanceof CloudmapError && error.kind === 'service') return `${error.code}: ${error.message}`
  return describeError(error, '').stderr.trim().replace(/^cloudmap: \[ERROR\]: /, '')
}

/** A wait; unref'd ones (between checks) do not keep the process alive once COMMAND is gone. */
function sleep(ms: number, options: { unref?: boolean } = {}): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    if (options.unref === true) timer.unref()
  })
}
