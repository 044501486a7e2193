import { CommandUsageError } from '../config/command-support.js'

/** A duration flag of cloudmap's own commands (--interval 0.5, --timeout 30) in milliseconds. */
export function secondsFlag(flag: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback === undefined ? undefined : fallback * 1000
  const seconds = /^\d+(\.\d+)?$|^\.\d+$/.test(value) ? Number(value) : Number.NaN
  if (!(seconds > 0)) throw new CommandUsageError(`--${flag} takes a number of seconds greater than 0, not ${value}`)
  return Math.round(seconds * 1000)
}
