import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { BIN, cliEnv, ROOT, tempRegistry } from './cli.js'

/** A long-running `node bin/run.js ...` (serve, run, watch) whose output the test reads while it runs. */
export interface Live {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the exit status (128+N for a signal, as a shell reports it) and the whole output. */
  done: Promise<{ status: number; stdout: string; stderr: string }>
  /** Ends it (SIGTERM, then SIGKILL after 10 s) unless it has already exited. */
  stop(): Promise<void>
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }

const started = new Set<Live>()

/**
 * The environment of a long-running test process: cli.ts's hermetic one (UTC, a scratch HOME, no AWS or
 * CLOUDMAP settings from the machine) but with the real clock and random ids, as serve, run and watch
 * need to run.
 */
export function hermeticEnv(env: Record<string, string> = {}): Record<string, string> {
  return cliEnv({ CLOUDMAP_SEED: undefined, CLOUDMAP_NOW: undefined, ...env })
}

export function startCli(args: string[], env: Record<string, string> = {}): Live {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: hermeticEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const done = new Promise<{ status: number; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (status, signal) => resolve({ status: status ?? 128 + (SIGNALS[signal ?? ''] ?? 0), stdout, stderr }))
  })
  const live: Live = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    async stop() {
      started.delete(live)
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await done.catch(() => undefined)
      clearTimeout(timer)
    },
  }
  started.add(live)
  return live
}

/** Every process startCli started and the test did not stop (an afterEach hook). */
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((live) => live.stop()))
}

/** Wait for a condition with a bounded poll: never a timing assertion, only an upper bound on waiting. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDTESTTEST', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_REGION: 'us-east-1' }

export interface ServeProcess {
  url: string
  port: number
  live: Live
  /** Send a signal (SIGTERM unless told) and wait for the exit: its status (128 + N for a signal). */
  stop(signal?: NodeJS.Signals): Promise<number>
}

/** `cloudmap serve --port 0 ARGS` as a user starts it (the built binary); resolves once it printed its address. */
export async function startServeProcess(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const live = startCli(['serve', '--port', '0', ...args], env)
  const url = await until('serve to print its URL', () => /(http:\/\/[^/\s]+)\//.exec(live.stdout())?.[1] ?? (live.child.exitCode !== null ? Promise.reject(new Error(`serve exited: ${live.stderr()}`)) : undefined))
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (live.child.exitCode === null && live.child.signalCode === null) live.child.kill(signal)
    return (await live.done).status
  }
  return { url, port: Number(new URL(url).port), live, stop }
}

/** The two ways the commands reach a registry: the file itself, and `cloudmap serve` in front of it. */
export interface Backend {
  name: 'local' | 'serve'
  /** Flags that choose the backend for run and watch. */
  flags: string[]
  env: Record<string, string>
  stop(): Promise<void>
}

export async function backend(name: 'local' | 'serve', registryPath: string): Promise<Backend> {
  if (name === 'local') return { name, flags: ['--registry', registryPath], env: {}, stop: async () => {} }
  const { url, live } = await startServeProcess(['--registry', registryPath])
  return { name, flags: ['--endpoint-url', url], env: CREDENTIALS, stop: () => live.stop() }
}

/** A registry with namespace `ns` and two services: `custom` (HealthCheckCustomConfig) and `plain` (no health check). */
export async function seededRegistry(path: string): Promise<{ registry: LocalRegistry; custom: string; plain: string }> {
  const registry = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'runwatch' })
  const { OperationId } = await registry.invoke('CreateHttpNamespace', { Name: 'ns' })
  const namespaceId = (await registry.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
  const custom = (await registry.invoke('CreateService', { Name: 'custom', NamespaceId: namespaceId, HealthCheckCustomConfig: {} })).Service!.Id!
  const plain = (await registry.invoke('CreateService', { Name: 'plain', NamespaceId: namespaceId })).Service!.Id!
  return { registry, custom, plain }
}

/** A seeded registry in a scratch folder, and the backend (local, or serve over it) that run and watch are pointed at. */
export interface SeededBackend {
  registry: LocalRegistry
  custom: string
  plain: string
  backend: Backend
  path: string
  dir: string
}

export async function seededBackend(name: 'local' | 'serve'): Promise<SeededBackend> {
  const { dir, path } = tempRegistry()
  const { registry, custom, plain } = await seededRegistry(path)
  return { registry, custom, plain, backend: await backend(name, path), path, dir }
}
