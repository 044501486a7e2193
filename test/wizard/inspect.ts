import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveSettings } from '../../src/cli/settings.js'
import { createRegistry } from '../../src/registry/create-registry.js'

export interface RegistryContents {
  namespaces: { Id: string; Arn: string; Name: string; Type: string }[]
  services: {
    Id: string
    Name: string
    NamespaceId: string
    DnsConfig?: unknown
    HealthCheckConfig?: unknown
    HealthCheckCustomConfig?: unknown
    /** Attributes by instance id. */
    instances: Record<string, Record<string, string>>
  }[]
}

/**
 * What a local registry file holds, read through the Registry port (the file layout is the local
 * backend's business): namespaces, services with their settings, and each service's instances.
 */
export async function inspectRegistry(path: string): Promise<RegistryContents> {
  const settings = resolveSettings(new Map([['registry', path]]), { CLOUDMAP_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'cloudmap-inspect-')) })
  const registry = await createRegistry(settings)
  try {
    const { Namespaces = [] } = await registry.invoke('ListNamespaces', {})
    const { Services = [] } = await registry.invoke('ListServices', {})
    const services: RegistryContents['services'] = []
    for (const summary of Services) {
      const { Service } = await registry.invoke('GetService', { Id: summary.Id! })
      const { Instances = [] } = await registry.invoke('ListInstances', { ServiceId: summary.Id! })
      services.push({
        Id: Service!.Id!,
        Name: Service!.Name!,
        NamespaceId: Service!.NamespaceId!,
        DnsConfig: Service!.DnsConfig,
        HealthCheckConfig: Service!.HealthCheckConfig,
        HealthCheckCustomConfig: Service!.HealthCheckCustomConfig,
        instances: Object.fromEntries(Instances.map((i) => [i.Id!, i.Attributes ?? {}])),
      })
    }
    return { namespaces: Namespaces.map((n) => ({ Id: n.Id!, Arn: n.Arn!, Name: n.Name!, Type: n.Type! })), services }
  } finally {
    await registry.close()
  }
}
