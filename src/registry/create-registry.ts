import type { Settings } from '../cli/settings.js'
import type { Registry } from './registry.js'

/** The backend for these settings: a remote endpoint (or AWS's own) when chosen, else the local registry file. */
export async function createRegistry(settings: Settings): Promise<Registry> {
  if (settings.remote) {
    const { RemoteRegistry } = await import('../backends/remote/remote-registry.js')
    return new RemoteRegistry(settings)
  }
  const { LocalRegistry } = await import('../backends/local/local-registry.js')
  return new LocalRegistry({ path: settings.registryPath, region: settings.region, accountId: settings.accountId, seed: settings.seed, now: settings.now, operationDelayMs: settings.operationDelayMs })
}
