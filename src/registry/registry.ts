import type { OperationMap } from '../model/api-types.js'
import type { OperationName } from '../model/index.js'

export type Input<K extends OperationName> = OperationMap[K]['input']
export type Output<K extends OperationName> = OperationMap[K]['output']

/**
 * The port every backend implements: the local JSON-file registry and a remote Cloud Map endpoint.
 * Outputs use the API model's member names; the CLI normalises and prints them, the server encodes them.
 */
export interface Registry {
  invoke<K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>>
  close(): Promise<void>
}
