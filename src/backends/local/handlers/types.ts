import type { OperationName } from '../../../model/index.js'
import type { Input, Output } from '../../../registry/registry.js'
import type { HandlerContext } from '../context.js'
import type { RegistryState } from '../state.js'

/** A local operation: reads and changes the in-memory state; throws CloudmapError to reject. */
export type Handler<K extends OperationName> = (state: RegistryState, input: Input<K>, ctx: HandlerContext) => Output<K>

export type HandlerTable<K extends OperationName> = { [P in K]: Handler<P> }
