/** Runtime description of one shape of the Cloud Map API model (see scripts/gen-model.mjs). */
export type Shape =
  | {
      type: 'structure'
      /** member name -> shape name, in the model's member order (the AWS CLI prints keys in this order). */
      members: Record<string, string>
      required?: string[]
      /** Members the AWS CLI fills with a random UUID when omitted (CreatorRequestId, UpdaterRequestId). */
      idempotencyTokens?: string[]
      exception?: boolean
    }
  | { type: 'list'; member: string; min?: number; max?: number }
  | { type: 'map'; key: string; value: string; min?: number; max?: number }
  | { type: 'string'; min?: number; max?: number; pattern?: string; enum?: string[] }
  | { type: 'integer' | 'long'; min?: number; max?: number }
  | { type: 'timestamp' }

export interface PaginatorSpec {
  inputToken: string
  outputToken: string
  limitKey: string
  resultKey: string
  /** Top-level output keys kept from the first page rather than merged (botocore's sdk-extras). */
  nonAggregateKeys?: readonly string[]
}

export interface OperationSpec {
  /** AWS operation name, e.g. 'CreateService'. */
  name: string
  /** CLI command name, e.g. 'create-service'. */
  cliName: string
  input: string
  /** null when the operation has no output shape (its response is empty). */
  output: string | null
  errors: readonly string[]
  summary: string
  /** Endpoint host prefix (DiscoverInstances: 'data-'); ignored against custom endpoints. */
  hostPrefix?: string
  paginator?: PaginatorSpec
}
