import { describe } from 'vitest'
import { discoveryContract } from './discovery.contract.js'
import { instanceContract } from './instances.contract.js'
import { namespaceContract } from './namespaces.contract.js'
import { operationContract } from './operations.contract.js'
import { serviceContract } from './services.contract.js'
import type { MakeBackend } from './support.js'
import { tagContract } from './tags.contract.js'

export type { ContractBackend } from './support.js'

/**
 * The behaviour every backend must share, written against the Registry port only, so that it runs
 * against the local registry and remote endpoints alike. Each case names the AWS Cloud Map rule it checks
 * (the API reference of the operation, or the model's constraints); every case starts on a fresh backend
 * from makeBackend, and waits for asynchronous operations through GetOperation as AWS clients do.
 */
export function describeRegistryContract(name: string, makeBackend: MakeBackend): void {
  describe(`Registry contract: ${name}`, () => {
    namespaceContract(makeBackend)
    serviceContract(makeBackend)
    instanceContract(makeBackend)
    discoveryContract(makeBackend)
    operationContract(makeBackend)
    tagContract(makeBackend)
  })
}
