import { Args, Command, Flags } from '@oclif/core'
import { CONFIG_KEYS } from '../config/keys.js'

// Only @oclif/core and the key table load with the command table: the config modules (and conf) are
// imported inside run(), so other commands do not pay for them.

const KEYS_HELP = `Keys: ${CONFIG_KEYS.join(', ')}.`

const profileFlag = {
  profile: Flags.string({ description: 'The profile to use (default: $CLOUDMAP_PROFILE, else $AWS_PROFILE, else "default").', helpValue: 'NAME' }),
}

async function support() {
  return import('../config/command-support.js')
}

/** The key argument, checked: an unknown key names the known ones. */
async function checkedKey(key: string): Promise<import('../config/keys.js').ConfigKey> {
  const [{ isConfigKey }, { CommandUsageError }] = await Promise.all([import('../config/keys.js'), support()])
  if (!isConfigKey(key)) throw new CommandUsageError(`Unknown setting "${key}". ${KEYS_HELP}`)
  return key
}

/** --profile, else the environment's, else 'default'; checked for a usable name. */
async function profileName(flags: { profile?: string }): Promise<string> {
  const [{ selectProfile }, { PROFILE_NAME }, { CommandUsageError }, { DEFAULT_PROFILE }] = await Promise.all([
    import('../config/resolve.js'),
    import('../config/keys.js'),
    support(),
    import('../config/file.js'),
  ])
  const name = selectProfile(new Map(flags.profile === undefined ? [] : [['profile', flags.profile]]), process.env).value ?? DEFAULT_PROFILE
  if (!PROFILE_NAME.test(name)) throw new CommandUsageError(`Profile names are 1 to 64 letters, digits, '.', '_' or '-': "${name}"`)
  return name
}

export class ConfigureGet extends Command {
  static override id = 'configure:get'
  static override summary = 'Print one configured setting of a profile.'
  static override description = `Prints the value stored for KEY in the profile (not flags or environment: see \`cloudmap configure list\` for what is in effect). Exits 1, printing nothing, when the setting is not stored, as \`aws configure get\`.\n\n${KEYS_HELP}`
  static override args = { key: Args.string({ required: true, description: 'The setting, e.g. region.' }) }
  static override flags = profileFlag
  static override examples = ['<%= config.bin %> configure get region', '<%= config.bin %> configure get endpoint_url --profile moto']

  async run(): Promise<void> {
    try {
      const { args, flags } = await this.parse(ConfigureGet)
      const key = await checkedKey(args.key)
      const profile = await profileName(flags)
      const { readConfigFile } = await import('../config/file.js')
      const value = readConfigFile(process.env).profiles[profile]?.[key]
      if (value === undefined) process.exitCode = 1
      else process.stdout.write(`${value}\n`)
    } catch (error) {
      ;(await support()).reportFailure(error, 'configure get')
    }
  }
}

export class ConfigureSet extends Command {
  static override id = 'configure:set'
  static override summary = 'Store a setting in a profile.'
  static override description = `Checks VALUE as cloudmap will use it, then stores it in the profile of the config file ($CLOUDMAP_CONFIG_DIR, else $XDG_CONFIG_HOME/cloudmap, else ~/.config/cloudmap). Settings apply after flags and environment variables: flag > environment > profile > default.\n\n${KEYS_HELP}`
  static override args = {
    key: Args.string({ required: true, description: 'The setting, e.g. region.' }),
    value: Args.string({ required: true, description: 'Its value.' }),
  }
  static override flags = profileFlag
  static override examples = [
    '<%= config.bin %> configure set region eu-west-1',
    '<%= config.bin %> configure set output table',
    '<%= config.bin %> configure set registry ~/cloudmap/dev.json --profile dev',
    '<%= config.bin %> configure set endpoint_url http://127.0.0.1:5000 --profile moto',
    '<%= config.bin %> configure set backend remote --profile moto',
  ]

  async run(): Promise<void> {
    try {
      const { args, flags } = await this.parse(ConfigureSet)
      const key = await checkedKey(args.key)
      const profile = await profileName(flags)
      const [{ KEY_SPECS }, { CommandUsageError }, { ConfigStore }] = await Promise.all([import('../config/keys.js'), support(), import('../config/store.js')])
      const spec = KEY_SPECS[key]
      const problem = spec.check(args.value)
      if (problem !== undefined) throw new CommandUsageError(problem)
      const store = await ConfigStore.open(process.env)
      store.set(profile, key, spec.normalize ? spec.normalize(args.value) : args.value)
      // Said now rather than by the next command of that profile, which would refuse to run.
      if (key === 'backend' && args.value === 'remote' && store.get(profile, 'endpoint_url') === undefined) {
        process.stderr.write(`warning: the backend of profile ${profile} is remote but it has no endpoint_url: its commands fail until \`cloudmap configure set endpoint_url URL${profile === 'default' ? '' : ` --profile ${profile}`}\`\n`)
      }
    } catch (error) {
      ;(await support()).reportFailure(error, 'configure set')
    }
  }
}

export class ConfigureUnset extends Command {
  static override id = 'configure:unset'
  static override summary = 'Remove a setting from a profile.'
  static override description = `Removes KEY from the profile, so the default (or an environment variable) applies again. Removing a setting that is not stored is not an error.\n\n${KEYS_HELP}`
  static override args = { key: Args.string({ required: true, description: 'The setting, e.g. region.' }) }
  static override flags = profileFlag
  static override examples = ['<%= config.bin %> configure unset region', '<%= config.bin %> configure unset endpoint_url --profile moto']

  async run(): Promise<void> {
    try {
      const { args, flags } = await this.parse(ConfigureUnset)
      const key = await checkedKey(args.key)
      const profile = await profileName(flags)
      const { ConfigStore } = await import('../config/store.js')
      const store = await ConfigStore.open(process.env)
      store.unset(profile, key)
    } catch (error) {
      ;(await support()).reportFailure(error, 'configure unset')
    }
  }
}

export class ConfigureList extends Command {
  static override id = 'configure:list'
  static override summary = 'Show the settings in effect and where each comes from.'
  static override description =
    'Lists every setting as `aws configure list` does: its value, the type of source (manual: a flag, env: an environment variable, config-file: the profile, default: cloudmap\'s default) and the location (the flag, the variable or the file). Precedence: flag > environment > profile > default.'
  static override flags = {
    ...profileFlag,
    region: Flags.string({ description: 'Show the effect of --region.', helpValue: 'REGION' }),
    output: Flags.string({ description: 'Show the effect of --output.', helpValue: 'FORMAT' }),
    'endpoint-url': Flags.string({ description: 'Show the effect of --endpoint-url.', helpValue: 'URL' }),
    registry: Flags.string({ description: 'Show the effect of --registry.', helpValue: 'PATH' }),
  }
  static override examples = ['<%= config.bin %> configure list', '<%= config.bin %> configure list --profile moto', 'AWS_REGION=eu-west-1 <%= config.bin %> configure list']

  async run(): Promise<void> {
    try {
      const { flags } = await this.parse(ConfigureList)
      const [{ flagMap }, { resolveConfigured }, { formatConfigList }, settings] = await Promise.all([
        support(),
        import('../config/resolve.js'),
        import('../config/list.js'),
        import('../cli/settings.js'),
      ])
      const configured = resolveConfigured(flagMap(flags), process.env, {
        region: settings.DEFAULT_REGION,
        accountId: settings.DEFAULT_ACCOUNT_ID,
        registryPath: settings.defaultRegistryPath(process.env),
      })
      process.stdout.write(formatConfigList(configured))
    } catch (error) {
      ;(await support()).reportFailure(error, 'configure list')
    }
  }
}
