import type { OperationName } from '../../../model/index.js'
import { validateInput } from '../validate.js'
import { settle } from './async-operations.js'
import { discoveryHandlers } from './discovery.js'
import { instanceHandlers } from './instances.js'
import { namespaceHandlers } from './namespaces.js'
import { operationHandlers } from './operations.js'
import { serviceHandlers } from './services.js'
import { tagHandlers } from './tags.js'
import type { Handler } from './types.js'

type HandlerMap = { [K in OperationName]: Handler<K> }

/** Every operation of the model: the compiler fails until each one has a handler. */
const IMPLEMENTATIONS: HandlerMap = {
  ...namespaceHandlers,
  ...serviceHandlers,
  ...instanceHandlers,
  ...discoveryHandlers,
  ...operationHandlers,
  ...tagHandlers,
}

/**
 * What every call goes through before its handler, as the service does it: the input is checked against
 * the model (lengths, patterns, enums, ranges), then asynchronous operations whose time has come are
 * completed, so the handler sees the registry as it is now.
 */
function guarded<K extends OperationName>(op: K, handler: Handler<K>): Handler<K> {
  return (state, input, ctx) => {
    validateInput(op, input)
    settle(state, ctx.now())
    return handler(state, input, ctx)
  }
}

export const HANDLERS: HandlerMap = Object.fromEntries(
  (Object.keys(IMPLEMENTATIONS) as OperationName[]).map((op) => [op, guarded(op, IMPLEMENTATIONS[op] as Handler<typeof op>)]),
) as HandlerMap

/** Operations that only read: the registry file is not rewritten after them. */
export function isReadOnly(op: OperationName): boolean {
  return /^(Get|List|Discover)/.test(op)
}
