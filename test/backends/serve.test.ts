import { join } from 'node:path'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { describeRegistryContract } from '../contract/registry.contract.js'
import { tempRegistry } from '../helpers/cli.js'
import { throughServe } from './through-serve.js'

/**
 * The contract suite through the whole remote path: the AWS SDK (RemoteRegistry) -> JSON 1.1 on the wire
 * -> `cloudmap serve` -> the local registry. Every case the local backend passes must pass here too.
 */
describeRegistryContract('remote (cloudmap serve)', async () => {
  const { dir } = tempRegistry()
  let tick = Date.parse('2026-01-02T03:04:05.678Z')
  const local = new LocalRegistry({ path: join(dir, 'registry.json'), region: 'us-east-1', accountId: '123456789012', seed: 'serve', now: () => new Date(tick++) })
  return throughServe(local, { id: 'test', secret: 'test' })
})
