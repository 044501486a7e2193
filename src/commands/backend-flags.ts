import * as Flags from '@oclif/core/flags'

/**
 * The options that choose the backend, as the operation commands take them (cloudmap run and watch).
 * Flags come from '@oclif/core/flags' alone: run and watch parse without loading the rest of oclif (fast-path.ts).
 */
export const backendFlags = {
  registry: Flags.string({ description: 'Local backend: the registry file (default: $CLOUDMAP_REGISTRY, the profile, else the user data directory).', helpValue: 'PATH' }),
  'endpoint-url': Flags.string({ description: 'Remote backend: the Cloud Map endpoint (AWS, moto, LocalStack, cloudmap serve).', helpValue: 'URL' }),
  region: Flags.string({ description: 'The region.', helpValue: 'REGION' }),
  profile: Flags.string({ description: 'The configured profile to use.', helpValue: 'NAME' }),
  'no-sign-request': Flags.boolean({ description: 'Remote backend: do not sign requests (no credentials needed).' }),
}
