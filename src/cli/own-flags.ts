/**
 * The flags of cloudmap's long-running commands (run, watch) as plain data: the oclif command builds its
 * flags from it for help and completion (src/commands/own-flags.ts), and the command parses its argv with
 * node:util's parseArgs (parse-own-flags.ts), so starting `cloudmap run` loads no oclif at all (it counts in "run →
 * discoverable"). Data only: the command table imports it.
 */
export interface OwnFlag {
  type: 'string' | 'integer' | 'boolean'
  description: string
  required?: boolean
  options?: readonly string[]
  default?: string
  helpValue?: string
  min?: number
  max?: number
  exclusive?: readonly string[]
}

export type OwnFlags = Record<string, OwnFlag>

export type ParsedOwnFlags = Record<string, string | number | boolean | undefined>

/** The options that choose the backend, as the operation commands take them. */
export const BACKEND_FLAGS: OwnFlags = {
  registry: { type: 'string', description: 'Local backend: the registry file (default: $CLOUDMAP_REGISTRY, the profile, else the user data directory).', helpValue: 'PATH' },
  'endpoint-url': { type: 'string', description: 'Remote backend: the Cloud Map endpoint (AWS, moto, LocalStack, cloudmap serve).', helpValue: 'URL' },
  region: { type: 'string', description: 'The region.', helpValue: 'REGION' },
  profile: { type: 'string', description: 'The configured profile to use.', helpValue: 'NAME' },
  'no-sign-request': { type: 'boolean', description: 'Remote backend: do not sign requests (no credentials needed).' },
}
