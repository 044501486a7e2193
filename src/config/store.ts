import { CloudmapError } from '../registry/errors.js'
import type { Profiles } from './file.js'
import { CONFIG_FILE_NAME, configDir, readConfigFile } from './file.js'

/**
 * Writes to the config file, through conf (loaded only here: `configure set/unset` and `init`). The file
 * is checked first with the same reader every command uses, so a corrupt file is reported and kept,
 * never replaced; conf then writes atomically, readable by the owner only (it can hold serve credentials).
 */
export class ConfigStore {
  private constructor(
    readonly path: string,
    private readonly conf: { get(key: string): unknown; set(key: string, value: unknown): void; delete(key: string): void },
  ) {}

  static async open(env: NodeJS.ProcessEnv = process.env): Promise<ConfigStore> {
    const { path } = readConfigFile(env)
    const { default: Conf } = await import('conf')
    try {
      const conf = new Conf<Record<string, unknown>>({
        cwd: configDir(env),
        configName: CONFIG_FILE_NAME.replace(/\.json$/, ''),
        projectName: 'cloudmap',
        accessPropertiesByDotNotation: false,
        clearInvalidConfig: false,
        configFileMode: 0o600,
      })
      return new ConfigStore(path, conf)
    } catch (error) {
      throw new CloudmapError('config', `The config file ${path} cannot be opened (${(error as Error).message}); cloudmap left it untouched.`)
    }
  }

  private profiles(): Profiles {
    return structuredClone((this.conf.get('profiles') as Profiles | undefined) ?? {})
  }

  get(profile: string, key: string): string | undefined {
    return this.profiles()[profile]?.[key]
  }

  set(profile: string, key: string, value: string): void {
    this.setMany(profile, { [key]: value })
  }

  setMany(profile: string, values: Record<string, string>): void {
    const profiles = this.profiles()
    profiles[profile] = { ...profiles[profile], ...values }
    this.write(profiles)
  }

  /** Removes a setting; an emptied profile goes too. Whether it was set. */
  unset(profile: string, key: string): boolean {
    const profiles = this.profiles()
    const values = profiles[profile]
    if (values === undefined || !(key in values)) return false
    delete values[key]
    if (Object.keys(values).length === 0) delete profiles[profile]
    this.write(profiles)
    return true
  }

  private write(profiles: Profiles): void {
    try {
      if (Object.keys(profiles).length === 0) this.conf.delete('profiles')
      else this.conf.set('profiles', profiles)
    } catch (error) {
      throw new CloudmapError('config', `Could not write the config file ${this.path} (${(error as Error).message}).`)
    }
  }
}
