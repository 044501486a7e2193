import type { OperationName } from '../../../model/index.js'
import { discoveryHandlers } from './discovery.js'
import { instanceHandlers } from './instances.js'
import { namespaceHandlers } from './namespaces.js'
import { operationHandlers } from './operations.js'
import { serviceHandlers } from './services.js'
import type { Handler } from './types.js'

/** Every local operation. Operations missing here answer NotImplemented (see local-registry.ts). */
export const HANDLERS: { [K in OperationName]?: Handler<K> } = {
  ...namespaceHandlers,
  ...serviceHandlers,
  ...instanceHandlers,
  ...discoveryHandlers,
  ...operationHandlers,
}

/** Operations that only read: the registry file is not rewritten after them. */
export function isReadOnly(op: OperationName): boolean {
  return /^(Get|List|Discover)/.test(op)
}
