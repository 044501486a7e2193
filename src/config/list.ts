import type { ConfiguredSettings, ResolvedValue } from './resolve.js'
import { CONFIG_KEYS, KEY_SPECS } from './keys.js'

/** The AWS CLI masks keys as 16 stars and the last four characters (awscli configure list). */
export function mask(value: string): string {
  return '*'.repeat(16) + value.slice(-4)
}

/**
 * `aws configure list`'s table ('%10s %24s %16s    %s' per row: Name, Value, Type, Location), one row
 * for the profile and one per setting; the Name and Value columns widen for longer names and paths.
 */
export function formatConfigList(configured: ConfiguredSettings): string {
  const rows: [string, ResolvedValue][] = [['profile', configured.profile], ...CONFIG_KEYS.map((k): [string, ResolvedValue] => [k, configured.values[k]])]
  const shown = rows.map(([name, resolved]): [string, string, ResolvedValue] => {
    const secret = name !== 'profile' && KEY_SPECS[name as keyof typeof KEY_SPECS].secret === true
    return [name, resolved.value === undefined ? '<not set>' : secret ? mask(resolved.value) : resolved.value, resolved]
  })
  const nameWidth = Math.max(10, ...shown.map(([name]) => name.length))
  const valueWidth = Math.max(24, ...shown.map(([, value]) => value.length))
  const line = (name: string, value: string, type: string, location: string) => `${name.padStart(nameWidth)} ${value.padStart(valueWidth)} ${type.padStart(16)}    ${location}\n`
  let out = line('Name', 'Value', 'Type', 'Location') + line('----', '-----', '----', '--------')
  for (const [name, value, resolved] of shown) out += line(name, value, resolved.type, resolved.location)
  return out
}
