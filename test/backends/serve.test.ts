import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { RemoteRegistry } from '../../src/backends/remote/remote-registry.js'
import type { Settings } from '../../src/cli/settings.js'
import { createApiServer } from '../../src/serve/api/http.js'
import { describeRegistryContract } from '../contract/registry.contract.js'
import { sdkDeparture } from './sdk-departures.js'
import { tempRegistry } from '../helpers/cli.js'

/**
 * The contract suite through the whole remote path: the AWS SDK (RemoteRegistry) -> JSON 1.1 on the wire
 * -> `cloudmap serve` -> the local registry. Every case the local backend passes must pass here too.
 */
describeRegistryContract('remote (cloudmap serve)', async () => {
  const { dir } = tempRegistry()
  let tick = Date.parse('2026-01-02T03:04:05.678Z')
  const local = new LocalRegistry({ path: join(dir, 'registry.json'), region: 'us-east-1', accountId: '123456789012', seed: 'serve', now: () => new Date(tick++) })
  const server = createApiServer({ registry: local, status: () => ({}) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.AWS_ACCESS_KEY_ID = 'test'
  process.env.AWS_SECRET_ACCESS_KEY = 'test'
  const remote = new RemoteRegistry({ endpointUrl, region: 'us-east-1', accountId: '123456789012', noSignRequest: false } as Settings)
  return {
    departure: sdkDeparture,
    registry: {
      invoke: (op, input) => remote.invoke(op, input),
      close: async () => {
        await remote.close()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      },
    },
  }
})
