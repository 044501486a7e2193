import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { BIN, ROOT } from '../helpers/cli.js'

export interface Run {
  child: ChildProcess
  /** Resolves when the process has exited, with what it printed. */
  done: Promise<{ stdout: string; stderr: string; status: number | null; signal: NodeJS.Signals | null }>
}

/**
 * `node bin/run.js ...args` against the registry at `path`, hermetic (no AWS or CLOUDMAP settings from the
 * machine); `launcher` is a command that runs it (e.g. setpriv with its options).
 */
export function cloudmap(path: string, args: string[], env: Record<string, string> = {}, launcher: string[] = []): Run {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('CLOUDMAP_')) clean[k] = v
  const home = mkdtempSync(join(tmpdir(), 'cloudmap-home-'))
  const command = [...launcher, process.execPath, BIN, ...args, '--output', 'json']
  const child = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    env: { ...clean, TZ: 'UTC', HOME: home, CLOUDMAP_REGISTRY: path, CLOUDMAP_SEED: 'store', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const done = new Promise<Awaited<Run['done']>>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (status, signal) => resolve({ stdout, stderr, status, signal }))
  })
  return { child, done }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A registry at `path` with one HTTP namespace `ns` and one service `web`, made in this process. */
export async function seeded(path: string): Promise<{ registry: LocalRegistry; namespaceId: string; serviceId: string }> {
  const registry = new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'store-fixture' })
  const { OperationId } = await registry.invoke('CreateHttpNamespace', { Name: 'ns' })
  const namespaceId = (await registry.invoke('GetOperation', { OperationId: OperationId! })).Operation!.Targets!.NAMESPACE!
  const serviceId = (await registry.invoke('CreateService', { Name: 'web', NamespaceId: namespaceId })).Service!.Id!
  return { registry, namespaceId, serviceId }
}

/** A registry as serve opens it: writes flushed once each, files made durable when writes pause, reads kept while the registry file is unchanged. */
export function serverRegistry(path: string): LocalRegistry {
  return new LocalRegistry({ path, region: 'us-east-1', accountId: '123456789012', seed: 'store-fixture', cacheReads: true, checkpointWhenIdle: true })
}
