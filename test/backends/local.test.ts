import { join } from 'node:path'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { describeRegistryContract } from '../contract/registry.contract.js'
import { tempRegistry } from '../helpers/cli.js'

describeRegistryContract('local', async () => {
  const { dir } = tempRegistry()
  let tick = Date.parse('2026-01-02T03:04:05.678Z')
  const registry = new LocalRegistry({ path: join(dir, 'registry.json'), region: 'us-east-1', accountId: '123456789012', seed: 'contract', now: () => new Date(tick++) })
  return { registry }
})
