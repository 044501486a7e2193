import type { AddressInfo } from 'node:net'
import type { LocalRegistry } from '../../src/backends/local/local-registry.js'
import { RemoteRegistry } from '../../src/backends/remote/remote-registry.js'
import type { Settings } from '../../src/cli/settings.js'
import { createApiServer } from '../../src/serve/api/http.js'
import type { RequestGate } from '../../src/serve/api/json11.js'
import type { Departure } from '../contract/support.js'
import type { ContractBackend } from '../contract/registry.contract.js'

/**
 * Cases that fail whenever the contract runs through an AWS SDK: it serialises only the members the model
 * has, so ServiceChange never carries HealthCheckCustomConfig over the wire, and the rejection is
 * reachable only by calling the registry directly.
 */
function sdkDeparture(title: string): Departure | undefined {
  return title.startsWith("UpdateService can't add, change or remove HealthCheckCustomConfig")
    ? { reason: 'the SDK drops members the model does not have', failure: /^Error: expected the call to be rejected$/ }
    : undefined
}

/**
 * The contract's backend through the whole remote path: the AWS SDK (RemoteRegistry), signing with `key`
 * -> JSON 1.1 on the wire -> serve's API (behind `gate` when given) -> the local registry.
 */
export async function throughServe(local: LocalRegistry, key: { id: string; secret: string }, gate?: RequestGate, stop?: () => Promise<void>): Promise<ContractBackend> {
  const server = createApiServer({ registry: local, gate, status: () => ({}) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.AWS_ACCESS_KEY_ID = key.id
  process.env.AWS_SECRET_ACCESS_KEY = key.secret
  const remote = new RemoteRegistry({ endpointUrl, region: 'us-east-1', accountId: '123456789012', noSignRequest: false } as Settings)
  return {
    departure: sdkDeparture,
    registry: {
      invoke: (op, input) => remote.invoke(op, input),
      close: async () => {
        await remote.close()
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await stop?.()
      },
    },
  }
}
