import type { Settings } from '../cli/settings.js'
import type { Registry } from './registry.js'

/** The backend for these settings: a remote endpoint when one is set, else the local registry file. */
export async function createRegistry(settings: Settings): Promise<Registry> {
  if (settings.endpointUrl !== undefined) {
    const { RemoteRegistry } = await import('../backends/remote/remote-registry.js')
    return new RemoteRegistry(settings)
  }
  const { LocalRegistry } = await import('../backends/local/local-registry.js')
  return new LocalRegistry({ path: settings.registryPath, region: settings.region, accountId: settings.accountId, seed: settings.seed, now: settings.now, operationDelayMs: settings.operationDelayMs })
}
