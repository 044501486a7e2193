import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { RemoteRegistry } from '../../src/backends/remote/remote-registry.js'
import type { Settings } from '../../src/cli/settings.js'
import { createJson11Server } from '../../src/server/json11.js'
import { describeRegistryContract } from '../contract/registry.contract.js'
import { tempRegistry } from '../helpers/cli.js'

/**
 * The contract suite through the whole remote path: the AWS SDK (RemoteRegistry) -> JSON 1.1 on the wire
 * -> `cloudmap serve` -> the local registry. Every case the local backend passes must pass here too.
 */
describeRegistryContract('remote (cloudmap serve)', async () => {
  const { dir } = tempRegistry()
  let tick = Date.parse('2026-01-02T03:04:05.678Z')
  const local = new LocalRegistry({ path: join(dir, 'registry.json'), region: 'us-east-1', accountId: '123456789012', seed: 'serve', now: () => new Date(tick++) })
  const server = createJson11Server(local)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.AWS_ACCESS_KEY_ID = 'test'
  process.env.AWS_SECRET_ACCESS_KEY = 'test'
  const remote = new RemoteRegistry({ endpointUrl, region: 'us-east-1', accountId: '123456789012', noSignRequest: false } as Settings)
  return {
    // The AWS SDK serialises only the members the model has, so ServiceChange never carries
    // HealthCheckCustomConfig over the wire: the rejection is reachable only by calling the registry directly.
    departure: (title) =>
      title.startsWith("UpdateService can't add, change or remove HealthCheckCustomConfig")
        ? { reason: 'the SDK drops members the model does not have', failure: /^Error: expected the call to be rejected$/ }
        : undefined,
    registry: {
      invoke: (op, input) => remote.invoke(op, input),
      close: async () => {
        await remote.close()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      },
    },
  }
})
