import type { OperationName } from './servicediscovery.js'
import { OPERATIONS, SHAPES } from './servicediscovery.js'
import type { OperationSpec, Shape } from './types.js'

export { OPERATIONS, SHAPES, SERVICE } from './servicediscovery.js'
export type { OperationName } from './servicediscovery.js'
export type { OperationSpec, PaginatorSpec, Shape } from './types.js'

const BY_NAME = new Map<string, OperationSpec>(OPERATIONS.map((op) => [op.name, op]))

export function operationSpec(name: OperationName | string): OperationSpec {
  const spec = BY_NAME.get(name)
  if (!spec) throw new Error(`unknown operation ${name}`)
  return spec
}

export function isOperationName(name: string): name is OperationName {
  return BY_NAME.has(name)
}

export function shape(name: string): Shape {
  const s = SHAPES[name]
  if (!s) throw new Error(`unknown shape ${name}`)
  return s
}

export function structureShape(name: string): Extract<Shape, { type: 'structure' }> {
  const s = shape(name)
  if (s.type !== 'structure') throw new Error(`shape ${name} is not a structure`)
  return s
}
