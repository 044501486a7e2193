import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The profile names of the AWS shared files as botocore reads them: `[profile NAME]` (and `[default]`)
 * in the config file ($AWS_CONFIG_FILE, else ~/.aws/config), `[NAME]` in the credentials file
 * ($AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials).
 */
export function awsProfileNames(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const names = new Set<string>()
  const sections = (path: string): string[] => {
    try {
      return [...readFileSync(path, 'utf8').matchAll(/^\s*\[([^\]]+)\]/gm)].map((m) => m[1].trim())
    } catch {
      return []
    }
  }
  for (const section of sections(env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config'))) {
    if (section === 'default') names.add(section)
    else if (/^profile\s+/.test(section)) names.add(section.replace(/^profile\s+/, ''))
  }
  for (const section of sections(env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials'))) names.add(section)
  return names
}
